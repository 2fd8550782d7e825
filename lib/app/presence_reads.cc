#include "presence_reads.h"

namespace heartbeat {

const Result<PresenceFacts>& PresenceReads::Read(Storage& store) {
  if (batch_ != 0 && read_batch_ == batch_ && read_from_ == &store && read_path_ == store.path())
    return facts_;
  read_batch_ = 0;
  facts_ = store.ReadPresence();
  if (!facts_.ok() || batch_ == 0) return facts_;
  read_batch_ = batch_;
  read_from_ = &store;
  read_path_ = store.path();
  return facts_;
}

}  // namespace heartbeat
