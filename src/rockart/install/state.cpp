// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/install/state.hpp>
#include <rockart/util/file.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace rockart::install {

namespace {

constexpr int k_schema = 1;

bool is_safe_relative(const std::string& path) {
  if (path.empty() || path.front() == '/') {
    return false;
  }
  for (const auto& part : std::filesystem::path(path)) {
    if (part == ".." || part == ".") {
      return false;
    }
  }
  return true;
}

template <typename T>
T field(const nlohmann::json& object, const char* key, const char* where) {
  const auto it = object.find(key);
  if (it == object.end()) {
    throw ConfigError(std::string("install state: ") + where + " has no '" + key + "'");
  }
  try {
    return it->get<T>();
  } catch (const nlohmann::json::exception&) {
    throw ConfigError(std::string("install state: '") + key + "' of " + where
                      + " has the wrong type");
  }
}

} // namespace

AppliedArchive* InstallState::find(const std::string& name) {
  const auto it = std::find_if(
      archives.begin(), archives.end(), [&](const AppliedArchive& a) { return a.name == name; });
  return it == archives.end() ? nullptr : &*it;
}

const AppliedArchive* InstallState::find(const std::string& name) const {
  return const_cast<InstallState*>(this)->find(name);
}

AppliedArchive& InstallState::upsert(const std::string& name) {
  const auto it = std::lower_bound(
      archives.begin(), archives.end(), name, [](const AppliedArchive& a, const std::string& n) {
        return a.name < n;
      });
  if (it != archives.end() && it->name == name) {
    return *it;
  }
  AppliedArchive record;
  record.name = name;
  return *archives.insert(it, std::move(record));
}

void InstallState::erase(const std::string& name) {
  std::erase_if(archives, [&](const AppliedArchive& a) { return a.name == name; });
}

std::filesystem::path state_dir(const std::filesystem::path& out) {
  return out / ".rockart";
}

std::filesystem::path state_path(const std::filesystem::path& out) {
  return state_dir(out) / "install-manifest.json";
}

std::string to_json(const InstallState& state) {
  nlohmann::json archives = nlohmann::json::array();
  for (const auto& a : state.archives) {
    archives.push_back({{"name", a.name},
                        {"digest", a.digest},
                        {"complete", a.complete},
                        {"sequence", a.sequence},
                        {"paths", a.paths},
                        {"stale", a.stale}});
  }
  const auto& s = state.source;
  const nlohmann::json doc = {{"schema_version", k_schema},
                              {"source",
                               {{"kind", s.kind},
                                {"repo", s.repo},
                                {"run_id", s.run_id},
                                {"commit", s.commit},
                                {"workflow", s.workflow},
                                {"platform", s.platform},
                                {"uri", s.uri}}},
                              {"group", state.group},
                              {"targets", state.targets},
                              {"patterns", state.patterns},
                              {"next_sequence", state.next_sequence},
                              {"archives", archives}};
  return doc.dump(1) + "\n";
}

InstallState from_json(const std::string& text) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError(std::string("install state is not valid JSON: ") + e.what());
  }
  if (!doc.is_object()) {
    throw ConfigError("install state is not a JSON object");
  }
  if (field<int>(doc, "schema_version", "the document") != k_schema) {
    throw ConfigError("install state has schema_version " + doc["schema_version"].dump()
                      + "; this rockart reads schema 1");
  }
  InstallState state;
  const auto source = field<nlohmann::json>(doc, "source", "the document");
  state.source.kind = field<std::string>(source, "kind", "source");
  state.source.repo = field<std::string>(source, "repo", "source");
  state.source.run_id = field<std::uint64_t>(source, "run_id", "source");
  state.source.commit = field<std::string>(source, "commit", "source");
  state.source.workflow = field<std::string>(source, "workflow", "source");
  state.source.platform = field<std::string>(source, "platform", "source");
  state.source.uri = field<std::string>(source, "uri", "source");
  state.group = field<std::string>(doc, "group", "the document");
  state.targets = field<std::vector<std::string>>(doc, "targets", "the document");
  state.patterns = field<std::vector<std::string>>(doc, "patterns", "the document");
  state.next_sequence = field<std::uint64_t>(doc, "next_sequence", "the document");
  for (const auto& entry : field<nlohmann::json>(doc, "archives", "the document")) {
    AppliedArchive a;
    a.name = field<std::string>(entry, "name", "an archive");
    a.digest = field<std::string>(entry, "digest", "an archive");
    a.complete = field<bool>(entry, "complete", "an archive");
    a.sequence = field<std::uint64_t>(entry, "sequence", "an archive");
    a.paths = field<std::vector<std::string>>(entry, "paths", "an archive");
    a.stale = field<std::vector<std::string>>(entry, "stale", "an archive");
    for (const auto* list : {&a.paths, &a.stale}) {
      for (const auto& path : *list) {
        // The paths are deleted by a later install: one that leaves {out} must never be there.
        if (!is_safe_relative(path)) {
          throw ConfigError("install state: archive " + a.name + " records the path '" + path
                            + "', which is not inside the install directory");
        }
      }
    }
    std::sort(a.paths.begin(), a.paths.end());
    if (state.find(a.name) != nullptr) {
      throw ConfigError("install state: archive " + a.name + " is recorded twice");
    }
    state.upsert(a.name) = std::move(a);
  }
  return state;
}

std::optional<InstallState> read_state(const std::filesystem::path& out) {
  const auto path = state_path(out);
  const std::optional<std::string> text = util::read_file(path);
  if (!text) {
    std::error_code error;
    if (std::filesystem::exists(path, error)) {
      throw LocalIoError("cannot read " + path.string());
    }
    return std::nullopt;
  }
  try {
    return from_json(*text);
  } catch (Error& e) {
    e.add_context(path.string(),
                  "the record of the previous install is damaged; pass --clean to wipe "
                      + out.string() + " and install afresh");
    throw;
  }
}

void write_state(const std::filesystem::path& out, const InstallState& state) {
  std::error_code error;
  std::filesystem::create_directories(state_dir(out), error);
  if (error) {
    throw LocalIoError("cannot create " + state_dir(out).string() + ": " + error.message());
  }
  util::write_file_atomic(state_path(out), to_json(state), util::Durability::fsync);
}

} // namespace rockart::install
