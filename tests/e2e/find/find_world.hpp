// SPDX-License-Identifier: MIT
// The world of the find/latest e2e tests: fake_github.py (scenario `find`,
// with a --stats-file) and moto seeded once with artifact names for the
// scenario's runs. Each test gets a fresh GitHub fake; moto is shared.
#pragma once

#include "support/support.hpp"

#include <rockart/http/curl_transport.hpp>
#include <rockart/s3/client.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace rockart::test {

// Every key seeded in moto (bucket, key). Artifacts are empty objects.
inline const std::vector<std::pair<std::string, std::string>>& seeded_keys() {
  static const std::vector<std::pair<std::string, std::string>> keys = {
      // 77f0cb21 (ci.yml only): run 20083647898
      {"therock-ci-artifacts", "20083647898-linux/rocblas_lib_gfx110X-all.tar.zst"},
      {"therock-ci-artifacts", "20083647898-linux/base_lib_generic.tar.zst"},
      {"therock-ci-artifacts", "20083647898-linux/index.html"},
      {"therock-ci-artifacts", "20083647898-windows/rocblas_lib_gfx110X-all.tar.zst"},
      // 903ee444 (multi_arch_ci.yml): run 25267756727
      {"therock-ci-artifacts", "25267756727-linux/rocblas_lib_gfx110X-all.tar.zst"},
      // ae313d3d: three runs; newest 28508900123 (dispatch, success), then
      // 28502800455 (cancelled, generic only), oldest 28500000301 (attempt 3).
      {"therock-ci-artifacts", "28508900123-linux/rocblas_lib_gfx120X-all.tar.zst"},
      {"therock-ci-artifacts", "28508900123-linux/base_lib_generic.tar.zst"},
      {"therock-ci-artifacts", "28502800455-linux/base_lib_generic.tar.zst"},
      {"therock-ci-artifacts", "28500000301-linux/rocblas_lib_gfx110X-all.tar.zst"},
      {"therock-ci-artifacts", "28500000301-linux/miopen_lib_gfx120X-all.tar.zst"},
      // b2153d4a: in-progress multi-arch run with generic archives only
      {"therock-ci-artifacts", "31021500007-linux/base_lib_generic.tar.zst"},
      {"therock-ci-artifacts", "31021500007-linux/amd-llvm_lib_generic.tar.zst"},
      // b21aac86: run 30964030362
      {"therock-ci-artifacts", "30964030362-linux/rccl_lib_gfx942.tar.zst"},
      {"therock-ci-artifacts", "30964030362-linux/amd-llvm_lib_generic.tar.zst"},
      {"therock-ci-artifacts", "30964030362-linux/hipblaslt_lib_gfx950.tar.zst"},
      // 724d39cc: 137 runs; only the oldest (on page 2) has artifacts
      {"therock-ci-artifacts", "27600000000-linux/rocblas_lib_gfx110X-all.tar.zst"},
      // 273c1e7a: October 2025 run in the legacy bucket
      {"therock-artifacts", "18740768335-linux/rocblas_lib_gfx110X-all.tar.xz"},
      // 62bc1eaa: fork PR run from ScottTodd/TheRock
      {"therock-ci-artifacts-external",
       "ROCm-TheRock/20384488184-linux/rocblas_lib_gfx110X-all.tar.zst"},
      // rocm-systems 3568e0df: run 20723767265
      {"therock-ci-artifacts-external",
       "ROCm-rocm-systems/20723767265-linux/rocblas_lib_gfx94X-dcgpu.tar.zst"},
  };
  return keys;
}

// Moto shared by the suite plus one fake GitHub per test.
class FindWorld : public ::testing::Test {
protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;

  // Restarts the GitHub fake with extra command-line arguments.
  void restart_github(const std::vector<std::string>& extra);

  // Runs `rockart <args> --endpoint-url <moto>` with GITHUB_API_URL set, in a
  // clean environment and an empty working directory; `env` adds variables.
  ProcessResult rockart(std::vector<std::string> args, std::map<std::string, std::string> env = {});

  // The fake's /__stats document (from its --stats-file).
  nlohmann::json github_stats() const;

  static inline std::unique_ptr<LocalServer> s_moto;
  static inline bool s_seeded = false;
  std::unique_ptr<TempDir> m_dir;
  std::unique_ptr<LocalServer> m_github;
};

} // namespace rockart::test
