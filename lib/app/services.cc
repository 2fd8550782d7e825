#include "services.h"

#include <sys/stat.h>

#include <climits>
#include <cstdlib>

#include "log.h"
#include "path_name.h"

namespace heartbeat {
namespace {

// What the policy makes of the path a request names: trusted as it is (no realpath per
// request), another spelling of the start-up config, a file in a --config-dir once resolved,
// or refused.
enum class Verdict { kTrusted, kStartUp, kInConfigDir, kRefused };

Verdict Check(const std::string& path, Services& services, std::string* resolved) {
  ConfigPolicy& policy = services.config_policy;
  if (policy.param_trusted || path == services.fallback_config_path) return Verdict::kTrusted;
  // Resolved once: the file opened afterwards is the one at this path, never the one a link
  // names by the time it is opened.
  *resolved = ResolvedPath(path);
  if (resolved->empty()) return Verdict::kRefused;
  if (!policy.resolved_fallback)
    policy.resolved_fallback = ResolvedPath(services.fallback_config_path);
  if (*resolved == *policy.resolved_fallback) return Verdict::kStartUp;
  for (const std::string& dir : policy.allowed_dirs) {
    if (resolved->compare(0, dir.size(), dir) == 0) return Verdict::kInConfigDir;
  }
  return Verdict::kRefused;
}

constexpr int64_t kRefusalLogIntervalMs = 60 * 1000;

void LogRefusal(const std::string& path, Services& services) {
  ConfigPolicy& policy = services.config_policy;
  int64_t now = services.clock.NowMs();
  if (policy.refusal_logged_ms >= 0 && now >= policy.refusal_logged_ms &&
      now - policy.refusal_logged_ms < kRefusalLogIntervalMs) {
    ++policy.refusals_not_logged;
    return;
  }
  std::string line =
      "refused a config named by a request (not the start-up config nor in a --config-dir): " +
      path;
  if (policy.refusals_not_logged > 0) {
    line += " (and " + std::to_string(policy.refusals_not_logged) + " more since the last line)";
  }
  LogLine(line);
  policy.refusal_logged_ms = now;
  policy.refusals_not_logged = 0;
}

}  // namespace

std::string ResolvedPath(const std::string& path) {
  char resolved[PATH_MAX];
  if (realpath(path.c_str(), resolved)) return resolved;
  std::string base = BaseName(path);
  if (base.empty() || base == "." || base == ".." || !realpath(DirName(path).c_str(), resolved)) {
    return std::string();
  }
  std::string dir = resolved;
  return dir + (dir.size() > 1 ? "/" : "") + base;
}

const std::string& ConfigPathFor(const Request& request, const Services& services) {
  return request.config_param.empty() ? services.fallback_config_path : request.config_param;
}

const Result<ServerConfig>& ConfigFor(const Request& request, Services& services) {
  const std::string& path = ConfigPathFor(request, services);
  std::string resolved;
  switch (Check(path, services, &resolved)) {
    case Verdict::kTrusted:
      return services.configs.Get(path);
    case Verdict::kStartUp:
      // The start-up config itself, by its own path: the file the request's path led to at
      // the check is never opened, so no link swapped since can bring in another.
      return services.configs.Get(services.fallback_config_path);
    case Verdict::kInConfigDir:
      return services.configs.GetResolved(resolved);
    case Verdict::kRefused:
      break;
  }
  static const Result<ServerConfig> kRefused(
      Status::Refused("the request names a config outside the allowed folders"));
  LogRefusal(path, services);
  return kRefused;
}

Result<std::string> ResolveConfigDir(const std::string& dir) {
  char resolved[PATH_MAX];
  struct stat st;
  if (!realpath(dir.c_str(), resolved) || stat(resolved, &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Status::Invalid("--config-dir " + dir + ": no such folder");
  }
  std::string result = resolved;
  if (result.back() != '/') result += '/';
  return result;
}

std::vector<std::string> ConfigPlaces(const std::string& executable_dir,
                                      const std::string& home_dir) {
  std::vector<std::string> places{executable_dir + "/" + kDefaultConfigName};
  if (!home_dir.empty())
    places.push_back(home_dir + (home_dir.back() == '/' ? "" : "/") + kHomeConfigPath);
  return places;
}

std::string FallbackConfigPath(const char* env_value, const std::string& executable_dir,
                               const std::string& home_dir) {
  if (env_value && *env_value) return env_value;
  const std::vector<std::string> places = ConfigPlaces(executable_dir, home_dir);
  for (const std::string& place : places) {
    // lstat: a dangling symbolic link still counts as there, so that its error is the one
    // reported rather than a silent move to the next place.
    struct stat st;
    if (lstat(place.c_str(), &st) == 0) return place;
  }
  return places.front();
}

}  // namespace heartbeat
