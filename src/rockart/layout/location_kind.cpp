// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/layout/location_kind.hpp>

#include <algorithm>

namespace rockart::layout {

namespace {

using Root = WorkflowOutputRoot;
using Args = std::vector<std::string>;

LocationKindArg req(std::string name) {
  return {std::move(name), false};
}

LocationKindArg opt(std::string name) {
  return {std::move(name), true};
}

std::vector<LocationKind> artifact_and_log_kinds() {
  return {
      {"run-root",
       {},
       "P (artifact archives live directly here)",
       [](const Root& r, const Args&) {
         return r.root();
       }},
      {"artifact",
       {req("file")},
       "P/{file}",
       [](const Root& r, const Args& a) {
         return r.artifact(a[0]);
       }},
      {"artifact-checksum",
       {req("file")},
       "P/{file}.sha256sum",
       [](const Root& r, const Args& a) {
         return r.artifact_checksum(a[0]);
       }},
      {"run-index",
       {},
       "P/index.html",
       [](const Root& r, const Args&) {
         return r.run_index();
       }},
      {"legacy-group-index",
       {req("group")},
       "P/index-{group}.html (runs before 2026-03-27)",
       [](const Root& r, const Args& a) {
         return r.legacy_group_index(a[0]);
       }},
      {"logs-dir",
       {},
       "P/logs",
       [](const Root& r, const Args&) {
         return r.logs_root();
       }},
      {"logs-index",
       {},
       "P/logs/index.html",
       [](const Root& r, const Args&) {
         return r.logs_index();
       }},
      {"log-dir",
       {req("group")},
       "P/logs/{group}",
       [](const Root& r, const Args& a) {
         return r.log_dir(a[0]);
       }},
      {"log-file",
       {req("group"), req("file")},
       "P/logs/{group}/{file}",
       [](const Root& r, const Args& a) {
         return r.log_file(a[0], a[1]);
       }},
      {"ninja-log-archive",
       {req("group")},
       "P/logs/{group}/ninja_logs.tar.gz",
       [](const Root& r, const Args& a) {
         return r.ninja_log_archive(a[0]);
       }},
      {"ccache-log-archive",
       {req("group")},
       "P/logs/{group}/ccache_logs.tar.zst",
       [](const Root& r, const Args& a) {
         return r.ccache_log_archive(a[0]);
       }},
      {"group-log-index",
       {req("group")},
       "P/logs/{group}/index.html",
       [](const Root& r, const Args& a) {
         return r.group_log_index(a[0]);
       }},
      {"build-observability",
       {req("group")},
       "P/logs/{group}/build_observability.html",
       [](const Root& r, const Args& a) {
         return r.build_observability_report(a[0]);
       }},
      {"profiling-dir",
       {req("group")},
       "P/logs/{group}/therock-build-prof",
       [](const Root& r, const Args& a) {
         return r.resource_profiling_dir(a[0]);
       }},
      {"comp-summary-html",
       {req("group")},
       "P/logs/{group}/comp-summary.html",
       [](const Root& r, const Args& a) {
         return r.comp_summary_html(a[0]);
       }},
      {"comp-summary-md",
       {req("group")},
       "P/logs/{group}/comp-summary.md",
       [](const Root& r, const Args& a) {
         return r.comp_summary_md(a[0]);
       }},
      {"test-report-dir",
       {req("subfolder")},
       "P/logs/{subfolder}",
       [](const Root& r, const Args& a) {
         return r.test_report_dir(a[0]);
       }},
      {"legacy-test-report-dir",
       {req("destination")},
       "P/{destination} (legacy test reports)",
       [](const Root& r, const Args& a) {
         return r.legacy_test_report_dir(a[0]);
       }},
      {"manifest-diff-report",
       {},
       "P/logs/manifest-diff/index.html (linux only)",
       [](const Root& r, const Args&) {
         return r.manifest_diff_report();
       }},
      {"stage-log-dir",
       {req("stage"), opt("family")},
       "P/logs/{stage}[/{family}]",
       [](const Root& r, const Args& a) {
         return r.stage_log_dir(a[0], a[1]);
       }},
      {"packaging-log-dir",
       {req("pkg")},
       "P/logs/packaging/{pkg} (pkg: deb or rpm)",
       [](const Root& r, const Args& a) {
         return r.packaging_log_dir(a[0]);
       }},
      {"packaging-log-index",
       {req("pkg")},
       "P/logs/packaging/{pkg}/index.html",
       [](const Root& r, const Args& a) {
         return r.packaging_log_index(a[0]);
       }},
  };
}

std::vector<LocationKind> manifest_and_package_kinds() {
  return {
      {"manifests-dir",
       {},
       "P/manifests",
       [](const Root& r, const Args&) {
         return r.manifests_dir();
       }},
      {"manifests-index",
       {},
       "P/manifests/index.html",
       [](const Root& r, const Args&) {
         return r.manifests_index();
       }},
      {"workflow-manifest",
       {},
       "P/manifests/therock_manifest.json",
       [](const Root& r, const Args&) {
         return r.workflow_manifest();
       }},
      {"manifest-dir",
       {req("group")},
       "P/manifests/{group}",
       [](const Root& r, const Args& a) {
         return r.group_manifest_dir(a[0]);
       }},
      {"manifest",
       {req("group")},
       "P/manifests/{group}/therock_manifest.json",
       [](const Root& r, const Args& a) {
         return r.group_manifest(a[0]);
       }},
      {"framework-manifest",
       {req("framework"), req("family"), req("python"), req("track")},
       "P/manifests/{family}/therock-manifest_{framework}_py{X.Y}_{track}.json "
       "(framework: torch or jax)",
       [](const Root& r, const Args& a) {
         return r.framework_manifest(parse_framework(a[0]), a[1], a[2], a[3]);
       }},
      {"python-dir",
       {opt("group")},
       "P/python[/{group}]",
       [](const Root& r, const Args& a) {
         return r.python_dir(a[0]);
       }},
      {"python-index",
       {opt("group")},
       "P/python[/{group}]/index.html (pip --find-links)",
       [](const Root& r, const Args& a) {
         return r.python_index(a[0]);
       }},
      {"deb-repo",
       {},
       "P/packages/deb (linux only)",
       [](const Root& r, const Args&) {
         return r.deb_repo();
       }},
      {"rpm-repo",
       {},
       "P/packages/rpm (linux only)",
       [](const Root& r, const Args&) {
         return r.rpm_repo();
       }},
      {"tarballs-dir",
       {},
       "P/tarballs",
       [](const Root& r, const Args&) {
         return r.tarballs_dir();
       }},
      {"tarball",
       {req("file")},
       "P/tarballs/{file}",
       [](const Root& r, const Args& a) {
         return r.tarball(a[0]);
       }},
  };
}

std::vector<LocationKind> build_registry() {
  std::vector<LocationKind> kinds = artifact_and_log_kinds();
  std::vector<LocationKind> more = manifest_and_package_kinds();
  kinds.insert(kinds.end(), more.begin(), more.end());
  return kinds;
}

std::string kind_names() {
  std::string names;
  for (const LocationKind& kind : location_kinds()) {
    names += (names.empty() ? "" : ", ") + kind.name;
  }
  return names;
}

} // namespace

std::string LocationKind::synopsis() const {
  std::string text;
  for (const LocationKindArg& arg : args) {
    text += text.empty() ? "" : " ";
    text += arg.optional ? "[" + arg.name + "]" : arg.name;
  }
  return text;
}

const std::vector<LocationKind>& location_kinds() {
  static const std::vector<LocationKind> kinds = build_registry();
  return kinds;
}

const LocationKind* find_location_kind(std::string_view name) {
  const auto& kinds = location_kinds();
  const auto it = std::find_if(
      kinds.begin(), kinds.end(), [&](const LocationKind& k) { return k.name == name; });
  return it == kinds.end() ? nullptr : &*it;
}

const LocationKind& require_location_kind(std::string_view name, std::size_t arg_count) {
  const LocationKind* kind = find_location_kind(name);
  if (kind == nullptr) {
    throw UsageError("unknown location kind '" + std::string(name)
                     + "'; valid kinds: " + kind_names());
  }
  const std::size_t max = kind->args.size();
  const auto min = static_cast<std::size_t>(std::count_if(
      kind->args.begin(), kind->args.end(), [](const LocationKindArg& a) { return !a.optional; }));
  if (arg_count < min || arg_count > max) {
    const std::string expected =
        min == max ? std::to_string(max) : std::to_string(min) + " to " + std::to_string(max);
    throw UsageError("location kind '" + kind->name + "' takes " + expected + " argument"
                     + (min == 1 && max == 1 ? "" : "s") + " ("
                     + (max == 0 ? "none" : kind->synopsis()) + "), got "
                     + std::to_string(arg_count));
  }
  return *kind;
}

StorageLocation resolve_location(const WorkflowOutputRoot& root,
                                 std::string_view name,
                                 std::vector<std::string> args) {
  const LocationKind& kind = require_location_kind(name, args.size());
  args.resize(kind.args.size());
  return kind.resolve(root, args);
}

nlohmann::json location_kinds_json() {
  nlohmann::json kinds = nlohmann::json::array();
  for (const LocationKind& kind : location_kinds()) {
    nlohmann::json args = nlohmann::json::array();
    for (const LocationKindArg& arg : kind.args) {
      args.push_back({{"name", arg.name}, {"optional", arg.optional}});
    }
    kinds.push_back({{"name", kind.name}, {"args", args}, {"description", kind.description}});
  }
  return {{"kinds", kinds}};
}

std::string location_kinds_text() {
  std::size_t width = 0;
  for (const LocationKind& kind : location_kinds()) {
    width = std::max(width, (kind.name + " " + kind.synopsis()).size());
  }
  std::string text = "Location kinds (P = {external_repo}{run_id}-{platform}):\n";
  for (const LocationKind& kind : location_kinds()) {
    std::string head = kind.name;
    if (!kind.args.empty()) {
      head += " " + kind.synopsis();
    }
    text += "  " + head + std::string(width + 2 - head.size(), ' ') + kind.description + "\n";
  }
  return text;
}

nlohmann::json located_json(const LocatedOutput& output) {
  nlohmann::json doc = {{"kind", output.kind},
                        {"args", output.args},
                        {"bucket", output.location.bucket()},
                        {"external_repo", output.root.external_repo()},
                        {"run_prefix", output.root.prefix()},
                        {"relative_path", output.location.relative_path()}};
  if (output.remote) {
    doc["s3_uri"] = output.location.s3_uri();
    doc["https_url"] = output.location.https_url();
  }
  if (output.staging_dir) {
    doc["staging_path"] = output.location.staging_path(*output.staging_dir).string();
  }
  return doc;
}

std::string located_text(const LocatedOutput& output) {
  std::string text = "relative_path=" + output.location.relative_path() + "\n";
  if (output.remote) {
    text += "s3_uri=" + output.location.s3_uri() + "\n" + "https_url=" + output.location.https_url()
            + "\n";
  }
  if (output.staging_dir) {
    text += "staging_path=" + output.location.staging_path(*output.staging_dir).string() + "\n";
  }
  return text;
}

} // namespace rockart::layout
