// What `heartbeat-agent status` prints after the status JSON: the note and the owner's local
// time, when the server's answer carries them (docs/protocol.md, "The presence card").
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "result.h"

namespace heartbeat::agent {

struct StatusFields {
  std::string state;
  std::optional<std::string> note_text;
  bool note_busy = false;
  std::string note_until;  // ISO 8601 as the server wrote it; empty when the note has none
  std::string timezone;    // empty when the server sends none
};

// Reads the fields above from a status JSON object, with lib/core's small strict reader (the
// agent builds without a JSON library, agent/README.md); unknown members are skipped.
Result<StatusFields> ParseStatusFields(const std::string& json);

// "note: In a meeting (busy, until 2026-12-08 10:00 Europe/Berlin)\n" and
// "local time: 2026-12-02 18:14 Europe/Berlin (UTC+01:00)\n" for the owner's time zone at
// `now_s`; nothing for what the answer does not carry. A zone this machine does not know is
// named, without a time.
std::string StatusSummary(const StatusFields& fields, int64_t now_s);

}  // namespace heartbeat::agent
