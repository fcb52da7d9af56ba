// SPDX-License-Identifier: MIT
#include <rockart/util/version.hpp>

namespace rockart::util {

const std::string& version() {
  static const std::string k_version = ROCKART_VERSION;
  return k_version;
}

const std::string& user_agent() {
  static const std::string k_agent = "therock-ci-outputs/" + version();
  return k_agent;
}

} // namespace rockart::util
