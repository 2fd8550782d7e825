#include "presence_reads.h"

namespace heartbeat {

Result<PresenceFacts> PresenceReads::Read(Storage& store) {
  if (batch_ != 0 && read_batch_ == batch_ && read_from_ == &store && read_path_ == store.path())
    return facts_;
  read_batch_ = 0;
  auto facts = store.ReadPresence();
  if (!facts.ok() || batch_ == 0) return facts;
  read_batch_ = batch_;
  read_from_ = &store;
  read_path_ = store.path();
  facts_ = facts.value();
  return facts;
}

}  // namespace heartbeat
