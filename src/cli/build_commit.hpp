// SPDX-License-Identifier: MIT
// The git commit the binary was built from, for `rockart --version`. Defined in
// a file generated at build time (cmake/RockartBuildCommit.cmake), linked into
// the executable only: a new commit then relinks the binary, not every library
// and test that uses rockart_util.
#pragma once

namespace rockart::cli {

// The short hash of the commit ("06e0fdc"), or "unknown" when built outside git.
const char* build_commit();

} // namespace rockart::cli
