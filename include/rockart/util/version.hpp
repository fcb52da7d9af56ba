// SPDX-License-Identifier: MIT
// The version of this build (the CMake project version), for --version and User-Agent headers.
#pragma once

#include <string>

namespace rockart::util {

// "0.1.0".
const std::string& version();

// "therock-ci-outputs/0.1.0": what rockart calls itself on the wire. GitHub
// rejects requests without a User-Agent; the product name lets its operators
// tell rockart's traffic from TheRock's Python scripts.
const std::string& user_agent();

} // namespace rockart::util
