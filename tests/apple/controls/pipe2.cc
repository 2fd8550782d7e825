// Control: pipe2() is Linux's (and the BSDs'), not macOS's. It must not build for a Mac.
#include <fcntl.h>
#include <unistd.h>

int OpenPipe(int fds[2]) { return pipe2(fds, O_CLOEXEC); }
