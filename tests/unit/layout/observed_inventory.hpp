// SPDX-License-Identifier: MIT
// The observed inventory of spec/artifacts.md §8.1 (run 30964030362, gfx94X-dcgpu
// view: generic + gfx942, all .tar.zst), as a realistic listing for selection
// and filter tests. The rows are the test-data generator's (one table for both).
#pragma once

#include "../../../tools/gen_artifacts/observed_inventory.hpp"

#include <sstream>
#include <string>
#include <vector>

namespace rockart::layout::test {

struct InventoryRow {
  const char* artifact;
  const char* generic_components; // "(G)" column
  const char* gfx942_components;  // "(942)" column, "" when none
};

// The rows of the generator's table (its size weights play no part here).
inline const std::vector<InventoryRow>& observed_inventory_rows() {
  static const std::vector<InventoryRow> rows = [] {
    std::vector<InventoryRow> out;
    for (const auto& artifact : testdata::k_real_inventory) {
      out.push_back({artifact.name, artifact.generic, artifact.per_target});
    }
    return out;
  }();
  return rows;
}

// Archive names `{artifact}_{component}_{family}.tar.zst` of the chosen columns.
inline std::vector<std::string> observed_archives(bool generic, bool gfx942) {
  std::vector<std::string> names;
  auto add = [&](const char* artifact, const char* components, const char* family) {
    std::istringstream words(components);
    std::string component;
    while (words >> component) {
      component = component.substr(0, component.find(':')); // "lib:400": a size weight
      names.push_back(std::string(artifact) + "_" + component + "_" + family + ".tar.zst");
    }
  };
  for (const auto& row : observed_inventory_rows()) {
    if (generic) {
      add(row.artifact, row.generic_components, "generic");
    }
    if (gfx942) {
      add(row.artifact, row.gfx942_components, "gfx942");
    }
  }
  return names;
}

} // namespace rockart::layout::test
