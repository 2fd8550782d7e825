// The status path's read-through cache of the store's presence read (which itself runs its
// SELECT only after a commit, store.h). The FastCGI loop wakes with several requests already
// waiting; each of them was waiting when one read is made, so that one read answers them all
// as freshly as a read of its own would, without even the store's look at the file. The loop only
// marks each wake (StartBatch); what a batch is, and what is kept, is decided here.
#pragma once

#include <cstdint>
#include <string>

#include "presence.h"
#include "result.h"
#include "storage.h"

namespace heartbeat {

class PresenceReads {
 public:
  // The requests handled from now on arrived together. Before the first call (CGI, tests),
  // every Read is a read of its own.
  void StartBatch() { ++batch_; }

  // The facts of `store`: read once per batch and store, kept for the rest of the batch and
  // valid until the next call. A failed read is not kept.
  const Result<PresenceFacts>& Read(Storage& store);

 private:
  uint64_t batch_ = 0;       // 0: no batches
  uint64_t read_batch_ = 0;  // the batch `facts_` was read in; 0: none
  const Storage* read_from_ = nullptr;
  std::string read_path_;  // with the pointer: a store reopened at the same address is another
  Result<PresenceFacts> facts_ = PresenceFacts{};
};

}  // namespace heartbeat
