// SPDX-License-Identifier: MIT
#include <rockart/github/auth.hpp>
#include <rockart/util/strings.hpp>

namespace rockart::github {

namespace {

std::optional<std::string> non_empty(const util::EnvLookup& env, std::string_view name) {
  auto value = env(name);
  if (value && !util::trim(*value).empty()) {
    return std::string(util::trim(*value));
  }
  return std::nullopt;
}

} // namespace

Auth resolve_auth(const util::EnvLookup& env, const CommandRunner& run) {
  for (const std::string_view name : {"GITHUB_TOKEN", "GH_TOKEN"}) {
    if (auto token = non_empty(env, name)) {
      return {*token, std::string(name)};
    }
  }
  const auto path = env("PATH");
  if (path) {
    if (const auto gh = find_executable("gh", *path)) {
      // `gh auth token` prints the token of the logged-in account; a failure
      // (not logged in) falls through to unauthenticated.
      const auto result = run({*gh, "auth", "token"});
      const auto token = util::trim(result.out);
      if (result.started && result.exit_code == 0 && !token.empty()
          && token.find_first_of(" \t\r\n") == std::string_view::npos) {
        return {std::string(token), "gh auth token"};
      }
    }
  }
  return {"", "none"};
}

std::string unauthenticated_warning() {
  return "no GitHub authentication found (GITHUB_TOKEN, GH_TOKEN, `gh auth token`); "
         "unauthenticated requests are limited to 60 per hour: run `gh auth login` or set "
         "GITHUB_TOKEN";
}

} // namespace rockart::github
