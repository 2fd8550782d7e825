// The in-process cost of a status request: HandleStatus with the config cached, the database
// open and its statements prepared, as in a long-running FastCGI process; with the file
// unchanged since the last read, and after a commit. Also the whole
// response as written to the socket (SerializeResponse), and a heartbeat for comparison.
#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "caches.h"
#include "cgi_request.h"
#include "cgi_response.h"
#include "heartbeat_handler.h"
#include "status_handler.h"
#include "token.h"

namespace heartbeat {
namespace {

// A heartbeat that says what the owner is doing, as an agent sharing `listening` posts it.
constexpr const char* kListeningBody =
    R"({"device":"bench","state":"active","activity":{"kind":"listening","title":"Reckoner",)"
    R"("artist":"Radiohead","app":"Spotify"}})";

class Fixture {
 public:
  // `first_body`: the heartbeat that makes the owner online before the timing starts.
  explicit Fixture(const std::string& extra = "", const std::string& first_body = "")
      : services(configs, stores, clock) {
    char pattern[] = "/tmp/heartbeat-bench-XXXXXX";
    dir = mkdtemp(pattern);
    InitCrypto();
    std::ofstream(dir + "/heartbeat.conf") << "token_sha256 = " << ToHex(HashToken("t")) << "\n"
                                           << extra;
    services.fallback_config_path = dir + "/heartbeat.conf";
    Beat(first_body);  // online, like the owner at the desk
  }
  ~Fixture() { std::filesystem::remove_all(dir); }

  // A heartbeat with `body` (empty: the default device, active), committed to the file.
  void Beat(const std::string& body = "") {
    Request post;
    post.method = "POST";
    post.authorization = "Bearer t";
    post.content_type = "application/json";
    post.body = body;
    post.content_length = static_cast<long long>(body.size());
    HandleHeartbeat(post, services);
  }

  std::string dir;
  SystemClock clock;
  ConfigCache configs{clock};
  StoreCache stores{clock};
  Services services;
};

// Status requests against a fixture made with `extra` config and `first_body`.
void RunStatus(benchmark::State& state, const std::string& extra, const std::string& first_body) {
  Fixture fixture(extra, first_body);
  Request request;
  request.method = "GET";
  request.remote_addr = "127.0.0.1";
  for (auto _ : state) {
    Response response = HandleStatus(request, fixture.services);
    benchmark::DoNotOptimize(response);
  }
}

void BM_StatusHandler(benchmark::State& state) { RunStatus(state, "", ""); }
BENCHMARK(BM_StatusHandler);

// The same while status JSON shows what the owner is doing (docs/protocol.md).
void BM_StatusHandlerWithActivity(benchmark::State& state) {
  RunStatus(state, "activity = on\n", kListeningBody);
}
BENCHMARK(BM_StatusHandlerWithActivity);

// Each status after a commit, so that its read is a SELECT: the file unchanged, as above, the
// store gives the last SELECT's facts again (store.h). The commit is not timed.
void BM_StatusHandlerAfterACommit(benchmark::State& state) {
  Fixture fixture;
  Request request;
  request.method = "GET";
  request.remote_addr = "127.0.0.1";
  for (auto _ : state) {
    state.PauseTiming();
    fixture.Beat();
    state.ResumeTiming();
    Response response = HandleStatus(request, fixture.services);
    benchmark::DoNotOptimize(response);
  }
}
BENCHMARK(BM_StatusHandlerAfterACommit);

void BM_StatusHandlerAndSerialize(benchmark::State& state) {
  Fixture fixture;
  Request request;
  request.method = "GET";
  for (auto _ : state) {
    std::string out = SerializeResponse(HandleStatus(request, fixture.services));
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_StatusHandlerAndSerialize);

// An authenticated heartbeat POST with `body`, answered over and over by one process whose
// config has the lines `extra`.
void RunHeartbeats(benchmark::State& state, const std::string& extra, const std::string& body) {
  Fixture fixture(extra);
  Request request;
  request.method = "POST";
  request.authorization = "Bearer t";
  request.content_type = "application/json";
  request.body = body;
  request.content_length = static_cast<long long>(request.body.size());
  for (auto _ : state) {
    Response response = HandleHeartbeat(request, fixture.services);
    benchmark::DoNotOptimize(response);
  }
}

void BM_HeartbeatHandler(benchmark::State& state) {
  RunHeartbeats(state, "", R"({"device":"bench","state":"active"})");
}
BENCHMARK(BM_HeartbeatHandler);

// The same with the presence card on: a year of usual hours kept, a note set each time.
void BM_HeartbeatHandlerWithHistoryAndNote(benchmark::State& state) {
  RunHeartbeats(state, "history_days = 366\ntimezone = Europe/Berlin\n",
                R"({"device":"bench","note":{"text":"In a meeting","busy":true}})");
}
BENCHMARK(BM_HeartbeatHandlerWithHistoryAndNote);

// With `activity = on`: the heartbeat without an activity, and with one on every post (its
// cost should stay within 1.1x of the one without).
void BM_HeartbeatHandlerActivityOnWithout(benchmark::State& state) {
  RunHeartbeats(state, "activity = on\n", R"({"device":"bench","state":"active"})");
}
BENCHMARK(BM_HeartbeatHandlerActivityOnWithout);

void BM_HeartbeatHandlerWithActivity(benchmark::State& state) {
  RunHeartbeats(state, "activity = on\n", kListeningBody);
}
BENCHMARK(BM_HeartbeatHandlerWithActivity);

}  // namespace
}  // namespace heartbeat

BENCHMARK_MAIN();
