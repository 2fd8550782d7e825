#define BOOST_TEST_DYN_LINK
#include "curl_http_client.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <string>
#include <thread>

#include "test_support.h"
#include "unique_fd.h"

namespace heartbeat::agent {
namespace {

// A listening socket on 127.0.0.1 that answers one request with `answer` and keeps what it was
// sent: enough HTTP to see the real libcurl client's request and its reading of an answer.
class OneAnswerServer {
 public:
  explicit OneAnswerServer(std::string answer) : answer_(std::move(answer)) {
    listener_.Reset(socket(AF_INET, SOCK_STREAM, 0));
    BOOST_REQUIRE(listener_.valid());
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    BOOST_REQUIRE(bind(listener_.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) ==
                  0);
    socklen_t length = sizeof address;
    BOOST_REQUIRE(getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&address), &length) ==
                  0);
    port_ = ntohs(address.sin_port);
    BOOST_REQUIRE(listen(listener_.get(), 1) == 0);
    thread_ = std::thread([this] { Serve(); });
  }
  ~OneAnswerServer() {
    if (thread_.joinable()) thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/heartbeat"; }
  // What the client sent, once its answer has gone out.
  const std::string& request() {
    thread_.join();
    return request_;
  }

 private:
  void Serve() {
    UniqueFd client(accept(listener_.get(), nullptr, nullptr));
    if (!client.valid()) return;
    char buffer[4096];
    // Headers, then the body its Content-Length announces.
    for (;;) {
      ssize_t n = read(client.get(), buffer, sizeof buffer);
      if (n <= 0) break;
      request_.append(buffer, static_cast<size_t>(n));
      size_t end = request_.find("\r\n\r\n");
      if (end == std::string::npos) continue;
      size_t length_at = request_.find("Content-Length: ");
      size_t length =
          length_at == std::string::npos ? 0 : std::stoul(request_.substr(length_at + 16));
      if (request_.size() >= end + 4 + length) break;
    }
    for (size_t done = 0; done < answer_.size();) {
      ssize_t n = write(client.get(), answer_.data() + done, answer_.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
  }

  std::string answer_;
  UniqueFd listener_;
  int port_ = 0;
  std::string request_;
  std::thread thread_;
};

BOOST_AUTO_TEST_SUITE(curl_http_client)

// A CA the owner named but the agent cannot read was once dropped without a word: the agent then
// trusted only the system's CAs, and the owner's self-signed server failed later as a
// "certificate not accepted" that pointed away from the cause.
BOOST_AUTO_TEST_CASE(an_unreadable_ca_file_is_an_error_at_start_naming_the_file) {
  testing::TempDir dir;
  auto missing = MakeCurlHttpClient(dir.File("no-such-ca.pem"));
  BOOST_REQUIRE(!missing.ok());
  BOOST_TEST((missing.status().code() == Status::Code::kInvalid));
  BOOST_TEST(missing.status().message().find("ca_file") != std::string::npos);
  BOOST_TEST(missing.status().message().find(dir.File("no-such-ca.pem")) != std::string::npos);

  auto folder = MakeCurlHttpClient(dir.path());
  BOOST_REQUIRE(!folder.ok());
  BOOST_TEST((folder.status().code() == Status::Code::kInvalid));
  BOOST_TEST(folder.status().message().find("not a regular file") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_readable_ca_file_and_none_at_all_make_a_client) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
  BOOST_TEST(MakeCurlHttpClient(dir.File("ca.pem")).ok());
  BOOST_TEST(MakeCurlHttpClient("").ok());
}

// Every option the client sets is accepted by this libcurl, and the request carries them.
BOOST_AUTO_TEST_CASE(a_post_carries_token_body_and_headers_and_its_answer_is_read) {
  OneAnswerServer server(
      "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 7\r\nContent-Length: 4\r\n"
      "Connection: close\r\n\r\nbusy");
  auto client = MakeCurlHttpClient("");
  BOOST_REQUIRE(client.ok());
  HttpRequest request;
  request.url = server.url();
  request.bearer_token = "t0ken";
  request.json_body = "{\"device\":\"mac\",\"state\":\"active\"}";
  request.timeout_s = 5;
  HttpResponse response = client.value()->Send(request);
  BOOST_TEST(!response.transport_error, response.error);
  BOOST_TEST(response.status == 503);
  BOOST_TEST(response.retry_after_s == 7);
  BOOST_TEST(response.body == "busy");
  const std::string& sent = server.request();
  BOOST_TEST(sent.rfind("POST /heartbeat HTTP/1.1\r\n", 0) == 0u);
  BOOST_TEST(sent.find("\r\nAuthorization: Bearer t0ken\r\n") != std::string::npos);
  BOOST_TEST(sent.find("\r\nContent-Type: application/json\r\n") != std::string::npos);
  BOOST_TEST(sent.find("\r\nUser-Agent: heartbeat-agent/") != std::string::npos);
  BOOST_TEST(sent.substr(sent.size() - request.json_body.size()) == request.json_body);
}

// The protocols option is checked too: a scheme outside http and https is refused by libcurl
// itself, and the request says so instead of going anywhere.
BOOST_AUTO_TEST_CASE(a_scheme_other_than_http_is_a_failed_request) {
  auto client = MakeCurlHttpClient("");
  BOOST_REQUIRE(client.ok());
  HttpRequest request;
  request.method = "GET";
  request.url = "file:///etc/passwd";
  HttpResponse response = client.value()->Send(request);
  BOOST_TEST(response.transport_error);
  BOOST_TEST(response.body.empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat::agent
