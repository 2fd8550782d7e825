// The real HttpClient: libcurl.
#pragma once

#include <memory>
#include <string>

#include "http_client.h"
#include "result.h"

namespace heartbeat::agent {

// libcurl. `ca_file`, if not empty, is trusted in addition to the system's CAs. Verification
// of the certificate and of the host name is always on; nothing turns it off. Invalid when
// ca_file cannot be read (a config error: the owner named it), Unavailable when libcurl cannot
// be initialised. A request whose options libcurl refuses fails as a transport error that
// names the option.
Result<std::unique_ptr<HttpClient>> MakeCurlHttpClient(const std::string& ca_file);

}  // namespace heartbeat::agent
