// SPDX-License-Identifier: MIT
// GitHub token resolution: GITHUB_TOKEN, GH_TOKEN, `gh auth token`, else
// unauthenticated.
#pragma once

#include <rockart/github/command.hpp>
#include <rockart/util/env.hpp>

#include <string>

namespace rockart::github {

// The token to send and where it came from. Never print `token`; print `source`.
struct Auth {
  std::string token;  // empty = unauthenticated
  std::string source; // "GITHUB_TOKEN", "GH_TOKEN", "gh auth token", "none"

  bool authenticated() const { return !token.empty(); }
};

// Resolves the token in order: non-empty GITHUB_TOKEN, non-empty GH_TOKEN, the
// trimmed stdout of `gh auth token` when an executable `gh` is on `env("PATH")`
// and it exits 0 with non-empty output, else unauthenticated. Runs `gh` (by
// absolute path) through `run` only when both variables are unset or empty.
Auth resolve_auth(const util::EnvLookup& env, const CommandRunner& run);

// The one warning printed when no token was found.
std::string unauthenticated_warning();

} // namespace rockart::github
