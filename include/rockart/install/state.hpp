// SPDX-License-Identifier: MIT
// The record an install keeps of itself in {out}/.rockart/install-manifest.json:
// where it came from and, per applied archive, its digest and every path it
// wrote. It is what makes a re-install incremental (keep what is unchanged,
// remove exactly what an archive brought) and what tells a rockart install
// apart from a directory of someone else's files, which is never wiped.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace rockart::install {

// Where the installed archives came from.
struct InstallSource {
  std::string kind; // "run", "release" or "input-dir"
  std::string repo;
  std::uint64_t run_id = 0;
  std::string commit;   // --commit, as resolved
  std::string workflow; // the run's workflow, for --commit
  std::string platform;
  std::string uri; // s3://bucket/prefix of the run, the release tarball, or the input dir

  bool operator==(const InstallSource&) const = default;
};

// One archive as applied to the tree.
struct AppliedArchive {
  std::string name;
  std::string digest; // "sha256:{hex}" (companion or computed), "etag:{etag}:{size}"
  // false while the archive is being applied: its paths are then those of a
  // previous version (or none), and the next install redoes it.
  bool complete = false;
  std::vector<std::string> paths; // files and symlinks it wrote, relative to {out}, sorted
  // Paths of an earlier version not yet removed (a crash between applying an
  // update and removing what the old version had alone).
  std::vector<std::string> stale;
  std::uint64_t sequence =
      0; // order of application: where two archives share a path, the later wins

  bool operator==(const AppliedArchive&) const = default;
};

struct InstallState {
  InstallSource source;
  std::string group;
  std::vector<std::string> targets;
  std::vector<std::string> patterns;
  std::vector<AppliedArchive> archives; // sorted by name
  std::uint64_t next_sequence = 1;

  bool operator==(const InstallState&) const = default;

  // The record of `name`, or nullptr.
  AppliedArchive* find(const std::string& name);
  const AppliedArchive* find(const std::string& name) const;
  // The record of `name`, created (incomplete, no paths) when missing.
  AppliedArchive& upsert(const std::string& name);
  void erase(const std::string& name);
};

// "{out}/.rockart", never written by an archive and never pruned.
std::filesystem::path state_dir(const std::filesystem::path& out);
// "{out}/.rockart/install-manifest.json".
std::filesystem::path state_path(const std::filesystem::path& out);

// The JSON document (schema 1) and back. from_json() throws ConfigError naming
// what is wrong for a document that is not a schema-1 install state.
std::string to_json(const InstallState& state);
InstallState from_json(const std::string& text);

// The state of the install at `out`; nullopt when there is none. Throws
// ConfigError (with a --clean hint) for a damaged file.
std::optional<InstallState> read_state(const std::filesystem::path& out);

// Replaces the state file atomically (write, fsync, rename): a crash leaves
// either the old or the new record. Throws LocalIoError.
void write_state(const std::filesystem::path& out, const InstallState& state);

} // namespace rockart::install
