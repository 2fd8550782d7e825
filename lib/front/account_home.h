// The home folder of the account a program runs as, read from /etc/passwd itself. The dist
// programs are static: glibc's getpwuid would go through NSS, which in a static binary may
// load the host's libnss_*.so modules, built for another glibc. The config's fixed place
// under suEXEC (docs/protocol.md, "Finding the config") needs only the account's own line.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

namespace heartbeat {

// The home folder of the first entry for `uid` in passwd-format `text`; empty when there is
// none, or when its home is not an absolute path.
std::string HomeFolderIn(std::string_view text, uid_t uid);

// The home folder of `uid` in the file `passwd_file`; empty when the file cannot be read or
// has no such entry (accounts kept only in LDAP and the like).
std::string HomeFolderOf(uid_t uid, const std::string& passwd_file = "/etc/passwd");

}  // namespace heartbeat
