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

// Immutable family map keeping the JSON's key order. find() is exact and
// case-sensitive ("gfx94X-dcgpu", not "gfx94x-dcgpu"); find_ignore_case() is
// for names as people type them.
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

  // The family whose name equals `name` ignoring ASCII case, or nullptr.
  const AmdgpuFamily* find_ignore_case(std::string_view name) const;

  // Every family name in JSON key order.
  std::vector<std::string> names() const;

  // Every distinct target in first-mention order.
  std::vector<std::string> all_targets() const;

private:
  std::vector<AmdgpuFamily> m_families;
  std::map<std::string, size_t, std::less<>> m_index;
  std::map<std::string, size_t, std::less<>> m_lower_index; // lower-cased name -> family
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

// The variant suffixes CI appends to an artifact group ("gfx94X-dcgpu-asan").
// A suffixed group is not in the map, so it never expands.
inline constexpr std::string_view k_group_variants[] = {"-host-asan", "-asan", "-tsan"};

// An artifact group as typed, in its canonical spelling: a family of the map
// or "generic" matched ignoring case ("gfx94x-dcgpu" -> "gfx94X-dcgpu"),
// optionally followed by a variant suffix (kept lower-case). Groups select
// archives by exact name, so a misspelt group would silently select only the
// generic archives; an unknown name therefore throws UsageError with the
// closest family names.
std::string canonical_group(std::string_view group, const FamilyMap& families = amdgpu_families());

// A gfx target as typed, in its canonical spelling: the part before ':' is a
// target of the map matched ignoring case, a feature suffix (":xnack+") is kept
// as given. Throws UsageError for an unknown target with the closest targets,
// and for a family name ("gfx94X-dcgpu is a family") saying to pass it as the
// group instead or naming its targets.
std::string canonical_target(std::string_view target,
                             const FamilyMap& families = amdgpu_families());

// Base arch, fetch / artifact-manager flavour: the text before the first
// ':' ("gfx942:xnack+" -> "gfx942"); a string without ':' or whose part before
// ':' is empty (":xnack+") is returned unchanged; "" stays "".
std::string_view base_arch(std::string_view target);

// Base arch, find-tools flavour: the text before the first ':' with no
// empty-prefix fallback (":xnack+" -> "").
std::string_view base_arch_before_colon(std::string_view target);

} // namespace rockart::layout
