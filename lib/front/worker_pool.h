// Several processes on one listening socket: with a single process, whatever pauses the CPU it
// runs on holds up every request; with one per core the others go on answering.
#pragma once

#include <functional>

namespace heartbeat {

// Runs `serve` in `count` forked workers and looks after them until SIGTERM, SIGINT or SIGUSR1,
// which is passed on to each worker (each finishes its request in flight). A worker that ends
// otherwise is replaced, at most one a second, and a worker whose parent dies stops too.
// Returns 0 once all have stopped, if each stopped with 0; else 1.
int RunWorkers(int count, const std::function<int()>& serve);

}  // namespace heartbeat
