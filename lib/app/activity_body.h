// The `activity` field of a heartbeat body (docs/protocol.md, "What the owner is doing").
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "activity.h"
#include "result.h"

namespace heartbeat {

// A non-null `activity` value: an object with a known `kind` and exactly the fields that kind
// takes (listening: `title`, `app`, optional `artist`; coding: optional `app`; call: none),
// each a string that CleanTextField accepts at its length (an `artist` of "" is no artist).
// Anything else, `null` for a field included, is Invalid with a message naming the field.
Result<Activity> ParseActivity(const nlohmann::json& json);

}  // namespace heartbeat
