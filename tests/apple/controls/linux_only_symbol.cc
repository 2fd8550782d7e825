// Control: a call to a function of the agent that only the Linux build defines
// (agent/sleep_logind.cc). It compiles, but the Mac's link must fail: the link check needs every
// symbol of the project defined.
#include "sleep_logind.h"

bool LogindWatcherWorks() { return heartbeat::agent::MakeLogindSleepWatcher().ok(); }
