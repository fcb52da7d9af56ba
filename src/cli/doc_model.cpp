// SPDX-License-Identifier: MIT
// Reads the CLI11 App tree into docs::CommandDoc: what the man pages and the
// completions are rendered from (docs.hpp).
#include "docs.hpp"

#include <rockart/util/strings.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <sstream>

namespace rockart::cli::docs {

namespace {

// The name a reader knows an option by: its first long name, else its first
// short one, else (a positional) its own.
std::string primary_name(const CLI::Option& option) {
  if (!option.get_lnames().empty()) {
    return "--" + option.get_lnames().front();
  }
  if (!option.get_snames().empty()) {
    return "-" + option.get_snames().front();
  }
  return option.get_name(true);
}

std::vector<std::string> sorted_names(const std::set<CLI::Option*>& options) {
  // A std::set of pointers is ordered by address: sorted by name instead, so
  // the generated files are the same on every run.
  std::vector<std::string> names;
  names.reserve(options.size());
  for (const CLI::Option* option : options) {
    names.push_back(primary_name(*option));
  }
  std::sort(names.begin(), names.end());
  return names;
}

// CLI11's type name is the value type followed by each validator's
// description, separated by ':' ("INT:INT in [1 - 64]", "TEXT:{auto,copy}").
// Splits it at those colons, not at ones inside brackets.
std::vector<std::string> type_name_parts(const std::string& type_name) {
  std::vector<std::string> parts(1);
  int depth = 0;
  for (const char c : type_name) {
    if (c == '{' || c == '[' || c == '(') {
      ++depth;
    } else if (c == '}' || c == ']' || c == ')') {
      --depth;
    }
    if (c == ':' && depth == 0) {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

OptionDoc describe_option(const CLI::Option& option, bool is_help) {
  OptionDoc doc;
  if (option.nonpositional()) {
    for (const auto& name : option.get_snames()) {
      doc.names.push_back("-" + name);
    }
    for (const auto& name : option.get_lnames()) {
      doc.names.push_back("--" + name);
    }
  } else {
    doc.names.push_back(option.get_name(true));
  }
  if (option.get_items_expected_max() > 0 || !option.nonpositional()) {
    const auto parts = type_name_parts(option.get_type_name());
    doc.value_name = parts.front().empty() ? "VALUE" : parts.front();
    for (auto it = parts.begin() + 1; it != parts.end(); ++it) {
      // CLI::IsMember describes its set as "{a,b,c}".
      if (it->size() >= 2 && it->front() == '{' && it->back() == '}') {
        doc.choices = util::split(it->substr(1, it->size() - 2), ',');
      } else if (!it->empty()) {
        doc.constraints.push_back(*it);
      }
    }
  }
  doc.help = option.get_description();
  doc.default_value = option.get_default_str();
  doc.env = option.get_envname();
  doc.excludes = sorted_names(option.get_excludes());
  doc.needs = sorted_names(option.get_needs());
  doc.group = option.get_group();
  doc.required = option.get_required();
  const auto policy = option.get_multi_option_policy();
  doc.repeatable = option.get_expected_max() > 1 || policy == CLI::MultiOptionPolicy::TakeAll
                   || policy == CLI::MultiOptionPolicy::Join;
  doc.is_help = is_help;
  return doc;
}

// Splits a footer (examples.cpp, or a command's own) into its parts:
//   Examples:
//     # a comment introducing the next example
//     rockart ...
//   other lines: notes
//   Exit status: ... (to the end, possibly over several lines)
void read_footer(const std::string& footer, CommandDoc& doc) {
  enum class Part { notes, examples, exit_status };
  Part part = Part::notes;
  std::string comment;
  std::istringstream in(footer);
  for (std::string line; std::getline(in, line);) {
    const std::string text(util::trim(line));
    if (text.empty()) {
      continue;
    }
    if (text == "Examples:") {
      part = Part::examples;
    } else if (text.starts_with("Exit status:")) {
      part = Part::exit_status;
      doc.exit_status = util::trim(text.substr(std::string_view("Exit status:").size()));
    } else if (part == Part::exit_status) {
      doc.exit_status += " " + text;
    } else if (part == Part::examples && line.starts_with("  ")) {
      if (text.starts_with("#")) {
        comment = util::trim(text.substr(1));
      } else {
        doc.examples.push_back({comment, text});
        comment.clear();
      }
    } else {
      part = Part::notes;
      doc.notes.push_back(text);
    }
  }
}

bool is_help_option(const CLI::App& app, const CLI::Option* option) {
  return option == app.get_help_ptr() || option == app.get_help_all_ptr()
         || option == app.get_version_ptr();
}

CommandDoc describe_command(const CLI::App& app,
                            std::vector<std::string> path,
                            std::vector<InheritedOptions> inherited) {
  CommandDoc doc;
  doc.path = std::move(path);
  doc.description = app.get_description();
  doc.inherited = std::move(inherited);
  doc.requires_subcommand = app.get_require_subcommand_min() > 0;
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_group().empty()) {
      continue; // hidden
    }
    auto described = describe_option(*option, is_help_option(app, option));
    if (option->nonpositional()) {
      doc.options.push_back(std::move(described));
    } else {
      doc.arguments.push_back(std::move(described));
    }
  }
  read_footer(app.get_footer(), doc);

  // What a subcommand accepts of this command's and its ancestors' options:
  // CLI11 hands an option a subcommand does not know to its parent when the
  // subcommand falls through.
  InheritedOptions own{doc.command_line_name(), {}};
  for (const OptionDoc& option : doc.options) {
    if (!option.is_help) {
      own.options.push_back(option);
    }
  }
  std::vector<InheritedOptions> for_children = doc.inherited;
  if (!own.options.empty()) {
    for_children.push_back(own);
  }
  for (const CLI::App* sub : app.get_subcommands({})) {
    // Nameless subcommands are CLI11 option groups (their options are
    // listed above); an empty group hides a command from the help.
    if (sub->get_name().empty() || sub->get_group().empty()) {
      continue;
    }
    auto child_path = doc.path;
    child_path.push_back(sub->get_name());
    doc.subcommands.push_back(describe_command(
        *sub, child_path, sub->get_fallthrough() ? for_children : std::vector<InheritedOptions>{}));
  }
  return doc;
}

} // namespace

std::string CommandDoc::command_line_name() const {
  return path.empty() ? "rockart" : "rockart " + util::join(path, " ");
}

std::string CommandDoc::page_name() const {
  return path.empty() ? "rockart" : "rockart-" + util::join(path, "-");
}

std::string CommandDoc::summary() const {
  std::string_view text = description;
  if (text.starts_with("rockart: ")) {
    text.remove_prefix(std::string_view("rockart: ").size());
  }
  return first_sentence(std::string(text));
}

std::string first_sentence(const std::string& text) {
  for (std::size_t at = text.find(". "); at != std::string::npos; at = text.find(". ", at + 1)) {
    // "e.g. 16MiB" does not end a sentence.
    const std::string_view before = std::string_view(text).substr(0, at);
    if (!before.ends_with("e.g") && !before.ends_with("i.e")) {
      return text.substr(0, at);
    }
  }
  return text.ends_with('.') ? text.substr(0, text.size() - 1) : text;
}

CommandDoc describe(const CLI::App& app) {
  return describe_command(app, {}, {});
}

} // namespace rockart::cli::docs
