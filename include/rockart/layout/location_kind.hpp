// SPDX-License-Identifier: MIT
// A registry of every location of a run's output layout (the catalogue of
// WorkflowOutputRoot methods) by kebab-case name, so front ends (`rockart
// locate`) can offer all of them without repeating the catalogue. Each entry
// resolves through WorkflowOutputRoot.
#pragma once

#include <rockart/layout/location.hpp>
#include <rockart/layout/workflow_output_root.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::layout {

// One positional argument of a location kind, e.g. {"group", false}.
struct LocationKindArg {
  std::string name;
  bool optional = false; // optional arguments come last and default to ""
};

// One catalogue entry: `resolve(root, args)` gets exactly `args.size()`
// values (missing optional ones filled with "") and throws UsageError on bad input.
struct LocationKind {
  std::string name; // kebab-case, e.g. "stage-log-dir"
  std::vector<LocationKindArg> args;
  std::string description; // one line, with the path template (e.g. "P/logs/{group}")
  std::function<StorageLocation(const WorkflowOutputRoot&, const std::vector<std::string>&)>
      resolve;

  // "stage [family]"-style synopsis of the arguments ("" when none).
  std::string synopsis() const;
};

// Every kind of the catalogue, in catalogue order. Names are unique.
const std::vector<LocationKind>& location_kinds();

// The kind named `name`, or nullptr.
const LocationKind* find_location_kind(std::string_view name);

// Returns the kind named `name` after checking that it takes `arg_count`
// arguments. Throws UsageError for an unknown kind (listing the valid ones) or
// a wrong argument count (naming the expected arguments).
const LocationKind& require_location_kind(std::string_view name, std::size_t arg_count);

// Resolves kind `name` with `args` below `root`. Throws UsageError as
// require_location_kind() does, and whatever the catalogue method throws.
StorageLocation resolve_location(const WorkflowOutputRoot& root,
                                 std::string_view name,
                                 std::vector<std::string> args);

// The catalogue for `rockart locate --list`: {kinds: [{name, args: [{name,
// optional}], description}]}, or an aligned "  name ARGS  description" table.
nlohmann::json location_kinds_json();
std::string location_kinds_text();

// One resolved location for `rockart locate`: relative path, S3 URI and HTTPS
// URL (not for a local root: its bucket is a placeholder), and the path below
// `staging_dir` when given.
struct LocatedOutput {
  std::string kind;
  std::vector<std::string> args;
  const WorkflowOutputRoot& root;
  const StorageLocation& location;
  bool remote = true;
  std::optional<std::string> staging_dir;
};

nlohmann::json located_json(const LocatedOutput& output);

// "relative_path=...", "s3_uri=...", "https_url=...", "staging_path=..." lines.
std::string located_text(const LocatedOutput& output);

} // namespace rockart::layout
