/* The least a FastCGI responder can do behind nginx, the ceiling of the programs' design: one
 * epoll thread, kept connections, record headers read only to find each request's end (its
 * empty FCGI_STDIN), params never looked at, one fixed answer. `make bench` runs it beside
 * status.fcgi and gives status.fcgi as a ratio to it. Usage: minimal_fastcgi SOCKET_PATH */
#define _GNU_SOURCE  /* accept4 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static const char kAnswer[] =
    "Status: 200 OK\r\nContent-Type: application/json\r\n\r\n{\"isOnline\":true,\"state\":\"online\"}";

struct connection {
  int fd;
  size_t have;
  unsigned char in[65536 + 512];
};

static void answer(int fd, unsigned char id_high, unsigned char id_low) {
  unsigned char out[256] = {0};
  size_t length = sizeof kAnswer - 1, padding = (8 - length % 8) % 8, at = 0;
  unsigned char stdout_header[8] = {1, 6, id_high, id_low, 0, (unsigned char)length,
                                    (unsigned char)padding, 0};
  memcpy(out, stdout_header, 8);
  memcpy(out + 8, kAnswer, length);
  at = 8 + length + padding;
  unsigned char end[24] = {1, 6, id_high, id_low, 0, 0, 0, 0, 1, 3, id_high, id_low, 0, 8, 0, 0};
  memcpy(out + at, end, sizeof end);
  at += sizeof end;
  if (send(fd, out, at, MSG_NOSIGNAL) < 0) perror("send");  /* nginx may have closed it */
}

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  struct sockaddr_un address = {.sun_family = AF_UNIX};
  strncpy(address.sun_path, argv[1], sizeof address.sun_path - 1);
  unlink(argv[1]);
  int listener = socket(AF_UNIX, SOCK_STREAM, 0);
  if (bind(listener, (struct sockaddr*)&address, sizeof address) != 0 || listen(listener, 4096)) {
    perror("listen");
    return 1;
  }
  chmod(argv[1], 0666);
  int epoll = epoll_create1(0);
  struct epoll_event event = {.events = EPOLLIN, .data.ptr = NULL};
  epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &event);
  for (;;) {
    struct epoll_event ready[64];
    int n = epoll_wait(epoll, ready, 64, -1);
    for (int i = 0; i < n; ++i) {
      struct connection* c = ready[i].data.ptr;
      if (!c) {
        c = calloc(1, sizeof *c);
        c->fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK);
        struct epoll_event added = {.events = EPOLLIN, .data.ptr = c};
        if (c->fd < 0 || epoll_ctl(epoll, EPOLL_CTL_ADD, c->fd, &added) != 0) free(c);
        continue;
      }
      ssize_t got = read(c->fd, c->in + c->have, sizeof c->in - c->have);
      if (got <= 0) {
        close(c->fd);
        free(c);
        continue;
      }
      c->have += (size_t)got;
      size_t at = 0;
      while (c->have - at >= 8) {
        const unsigned char* h = c->in + at;
        size_t record = 8 + ((size_t)h[4] << 8 | h[5]) + h[6];
        if (c->have - at < record) break;
        if (h[1] == 5 && h[4] == 0 && h[5] == 0) answer(c->fd, h[2], h[3]);
        at += record;
      }
      memmove(c->in, c->in + at, c->have - at);
      c->have -= at;
    }
  }
}
