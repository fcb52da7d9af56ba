// SPDX-License-Identifier: MIT
// The man pages and shell completions generated at build time by the hidden
// `rockart __generate-docs` (cmd_generate_docs.cpp). Both are rendered from
// one plain description of the command tree, read from the CLI11 App tree
// itself (doc_model.cpp) together with the examples and exit-status footers
// of examples.cpp, so neither can drift from what the parser accepts.
#pragma once

#include <string>
#include <vector>

// Only doc_model.cpp reads the App tree; the renderers see plain data.
namespace CLI {
class App;
} // namespace CLI

namespace rockart::cli::docs {

// One option or positional argument as the help shows it.
struct OptionDoc {
  std::vector<std::string> names;       // "-v", "--verbose" (every spelling, negations too); a
                                        // positional: its name alone
  std::string value_name;               // "TEXT", "INT"; empty for a flag
  std::vector<std::string> constraints; // validator texts, e.g. "INT in [1 - 64]"
  std::vector<std::string> choices;     // the values CLI::IsMember allows, in its order
  std::string help;
  std::string default_value;         // as captured by CLI11 (capture_default_str), else empty
  std::string env;                   // the environment variable CLI11 reads it from, if any
  std::vector<std::string> excludes; // names of the options it cannot be used with, sorted
  std::vector<std::string> needs;    // names of the options it requires, sorted
  std::string group;                 // CLI11 group: "Options" unless the command set another
  bool required = false;
  bool repeatable = false; // may be given several times (lists, counters)
  bool is_help = false;    // -h/--help or --version: handled by CLI11, not inherited

  bool takes_value() const { return !value_name.empty(); }
};

// An example command line with the comment line that introduced it, if any.
struct Example {
  std::string comment; // "What a rocBLAS test job installs (...):"; often empty
  std::string command; // "rockart install --run-id ..."
};

// Options of an ancestor command that this command accepts too (CLI11
// fallthrough): `rockart fetch -v`.
struct InheritedOptions {
  std::string from; // "rockart"
  std::vector<OptionDoc> options;
};

struct CommandDoc {
  std::vector<std::string> path; // below rockart: {} for rockart itself, {"s3", "cp"}
  std::string description;
  std::vector<OptionDoc> arguments; // positionals, in order
  std::vector<OptionDoc> options;   // in definition order, -h/--help first
  std::vector<InheritedOptions> inherited;
  std::vector<CommandDoc> subcommands;
  bool requires_subcommand = false;
  std::vector<std::string> notes; // footer text that is neither an example nor the exit status
  std::vector<Example> examples;
  std::string exit_status; // the footer's "Exit status:" text, without that label

  // "rockart", "rockart s3 cp".
  std::string command_line_name() const;
  // The man page (and completion function) name: "rockart", "rockart-s3-cp".
  std::string page_name() const;
  // The description's first sentence, without its full stop, and without
  // "rockart: " in front: for NAME lines and completion menus.
  std::string summary() const;
};

// The visible command tree below `app`: commands and options in an empty
// (hidden) group are left out, as CLI11's help leaves them out.
CommandDoc describe(const CLI::App& app);

// The first sentence of `text` (up to ". "), without the full stop.
std::string first_sentence(const std::string& text);

struct GeneratedFile {
  std::string name; // file name, e.g. "rockart-s3-cp.1"
  std::string text;
};

// One section-1 man page per command (man_pages.cpp). `version` goes in the
// page footer: "0.1.0".
std::vector<GeneratedFile> man_pages(const CommandDoc& root, const std::string& version);

// The completion scripts (completions.cpp), installed as
// bash-completion/completions/rockart, zsh/vendor-completions/_rockart and
// fish/vendor_completions.d/rockart.fish.
std::string bash_completion(const CommandDoc& root);
std::string zsh_completion(const CommandDoc& root);
std::string fish_completion(const CommandDoc& root);

} // namespace rockart::cli::docs
