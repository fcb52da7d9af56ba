// SPDX-License-Identifier: MIT
// The AMDGPU family map: family name -> ordered gfx targets, compiled in from
// data/amdgpu_families.json (derived from TheRock's
// cmake/therock_amdgpu_targets.cmake), plus base-arch helpers.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::layout {

// One family and its gfx targets in declaration order (a target is also a
// family containing only itself, e.g. "gfx942" -> {"gfx942"}).
struct AmdgpuFamily {
  std::string name;
  std::vector<std::string> targets;

  bool operator==(const AmdgpuFamily&) const = default;
};

// Immutable family map keeping the JSON's key order. Lookups are exact and
// case-sensitive ("gfx94X-dcgpu", not "gfx94x-dcgpu").
class FamilyMap {
public:
  // Parses a JSON object {family: [target, ...]}. Throws ConfigError naming the
  // offending key when the text is not such an object or a target is not a
  // non-empty string. Duplicate targets within a family are dropped.
  static FamilyMap parse_json(std::string_view json_text);

  // Every family in JSON key order.
  const std::vector<AmdgpuFamily>& families() const { return m_families; }

  // The family called exactly `name`, or nullptr when there is none.
  const AmdgpuFamily* find(std::string_view name) const;

  // Every distinct target in first-mention order.
  std::vector<std::string> all_targets() const;

private:
  std::vector<AmdgpuFamily> m_families;
  std::map<std::string, size_t, std::less<>> m_index;
};

// The bytes of data/amdgpu_families.json as compiled into the library.
std::string_view amdgpu_families_json();

// The compiled-in family map, parsed once on first use (thread-safe).
const FamilyMap& amdgpu_families();

// Targets of family `name` from `families` (default: the compiled-in map);
// an unknown name expands to nothing (the non-strict mode all artifact tools use).
std::vector<std::string> expand_family(std::string_view name,
                                       const FamilyMap& families = amdgpu_families());

// Like expand_family() but throws UsageError naming `name` and the known
// families when `name` is not a family (strict mode).
std::vector<std::string> expand_family_strict(std::string_view name,
                                              const FamilyMap& families = amdgpu_families());

// Base arch, fetch / artifact-manager flavour: the text before the first
// ':' ("gfx942:xnack+" -> "gfx942"); a string without ':' or whose part before
// ':' is empty (":xnack+") is returned unchanged; "" stays "".
std::string_view base_arch(std::string_view target);

// Base arch, find-tools flavour: the text before the first ':' with no
// empty-prefix fallback (":xnack+" -> "").
std::string_view base_arch_before_colon(std::string_view target);

} // namespace rockart::layout
