// SPDX-License-Identifier: MIT
// Prints where a run's archive lives and the library version, through the
// installed headers and static libraries only.
#include <rockart/layout/workflow_output_root.hpp>
#include <rockart/util/version.hpp>

#include <iostream>

int main() {
  const rockart::layout::WorkflowOutputRoot run(
      "therock-ci-artifacts", "ROCm-rocm-libraries/", "20083647898", "linux");
  std::cout << run.artifact("base_lib_generic.tar.zst").s3_uri() << "\n"
            << rockart::util::version() << "\n";
  return 0;
}
