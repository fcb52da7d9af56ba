// SPDX-License-Identifier: MIT
// Shared state of the command-line front end. Only src/cli/ parses arguments
// or writes to the terminal; each subcommand lives in its own file and is
// registered from main.cpp through a `register_<name>` function.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <string>

namespace rockart::cli {

// Options every subcommand sees, filled by CLI11 before the callback runs.
struct Context {
  int verbose = 0;               // -v / -vv
  bool quiet = false;            // -q: errors only
  std::string progress = "auto"; // --progress auto|bar|plain (--no-progress = plain)
  bool json = false;             // set by a subcommand's --json: errors are printed as JSON too
  int exit_code = 0;             // set by the subcommand callback
};

// Writes `text` to stdout (results only; logs and errors go to stderr).
void print_out(const std::string& text);

// A --json document as printed: indented, newline-terminated, and (an object)
// with "schema_version": 1 unless it has one, so scripts can tell layouts apart.
std::string json_text(nlohmann::json doc);

// `rockart bucket`: shows the bucket and external-repo prefix a run uses (cmd_bucket.cpp).
void register_bucket(CLI::App& app, Context& context);

// `rockart locate`: prints where an output of a run lives, for every kind of
// output (cmd_locate.cpp).
void register_locate(CLI::App& app, Context& context);

// `rockart s3 ls|cp|rm|mb`: an `aws s3`-like front end to the S3 client (cmd_s3.cpp).
void register_s3(CLI::App& app, Context& context);

// `rockart upload build|stage-logs|python|pytorch-manifest|tarballs|test-report`
// (cmd_upload.cpp, cmd_upload_packages.cpp, cmd_upload_reports.cpp).
void register_upload(CLI::App& app, Context& context);

// `rockart push`: a build's artifact archives and companions to its run (cmd_push.cpp).
void register_push(CLI::App& app, Context& context);

// `rockart index`: regenerates a run's index.html pages from its listing (cmd_index.cpp).
void register_index(CLI::App& app, Context& context);

// `rockart copy`: server-side copy of artifacts between runs (cmd_copy.cpp).
void register_copy(CLI::App& app, Context& context);

// `rockart stages list|info`: the build stages of BUILD_TOPOLOGY.toml (cmd_stages.cpp).
void register_stages(CLI::App& app, Context& context);

// `rockart find`: runs of a commit holding artifacts of the given groups (cmd_find.cpp).
void register_find(CLI::App& app, Context& context);

// `rockart fetch`: download, verify and extract a run's artifacts (cmd_fetch.cpp).
void register_fetch(CLI::App& app, Context& context);

// `rockart install`: a run's or release's components into one tree, incrementally
// (cmd_install.cpp).
void register_install(CLI::App& app, Context& context);

// `rockart latest`: newest commit of a branch with every group's artifacts (cmd_latest.cpp).
void register_latest(CLI::App& app, Context& context);

// `rockart cache info|ls|verify|gc|clear`: the persistent cache (cmd_cache.cpp).
void register_cache(CLI::App& app, Context& context);

// Puts the examples and exit status at the end of each command's help
// (examples.cpp), except where a command file set its own; called once every
// command is registered.
void add_examples(CLI::App& app);

// `rockart bisect start|good|bad|skip|status|log|reset|run|report|replay` (cmd_bisect.cpp).
void register_bisect(CLI::App& app, Context& context);

// The hidden `rockart __generate-docs`: man pages and shell completions from
// this command tree, written at build time (cmd_generate_docs.cpp, docs.hpp).
void register_generate_docs(CLI::App& app);

} // namespace rockart::cli
