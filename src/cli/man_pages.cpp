// SPDX-License-Identifier: MIT
// Renders each command of docs::CommandDoc as a roff man page (man(7)
// macros): NAME, SYNOPSIS, DESCRIPTION, COMMANDS, OPTIONS, EXAMPLES,
// EXIT STATUS, SEE ALSO.
#include "docs.hpp"

#include <rockart/util/strings.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>

namespace rockart::cli::docs {

namespace {

// Appends the escape of the code point starting at text[at] (a UTF-8 lead
// byte) and returns the index after it; invalid bytes become '?'.
std::size_t append_code_point(std::string_view text, std::size_t at, std::string& out) {
  const auto lead = static_cast<unsigned char>(text[at]);
  std::size_t length = 0;
  std::uint32_t code = 0;
  if ((lead & 0xE0U) == 0xC0U) {
    length = 2;
    code = lead & 0x1FU;
  } else if ((lead & 0xF0U) == 0xE0U) {
    length = 3;
    code = lead & 0x0FU;
  } else if ((lead & 0xF8U) == 0xF0U) {
    length = 4;
    code = lead & 0x07U;
  }
  if (length == 0 || at + length > text.size()) {
    out += '?';
    return at + 1;
  }
  for (std::size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[at + i]);
    if ((next & 0xC0U) != 0x80U) {
      out += '?';
      return at + 1;
    }
    code = (code << 6U) | (next & 0x3FU);
  }
  std::array<char, 16> escape{};
  (void)std::snprintf(escape.data(), escape.size(), "\\[u%04X]", static_cast<unsigned>(code));
  out += escape.data();
  return at + length;
}

// `text` as roff prints it literally, for a text line or a macro argument:
// a backslash (roff's escape character) as \e; '-' as \- so options copy and
// paste as typed (a bare '-' may print as a hyphen); quotes as \(aq, \(ga and
// \(dq so they stay straight and never end a macro argument; non-ASCII as
// \[uXXXX], whatever the input encoding man assumes. Newlines become spaces:
// the caller decides where lines break.
std::string roff(std::string_view text) {
  std::string out;
  for (std::size_t at = 0; at < text.size();) {
    const char c = text[at];
    if (static_cast<unsigned char>(c) >= 0x80) {
      at = append_code_point(text, at, out);
      continue;
    }
    switch (c) {
    case '\\':
      out += "\\e";
      break;
    case '-':
      out += "\\-";
      break;
    case '\'':
      out += "\\(aq";
      break;
    case '`':
      out += "\\(ga";
      break;
    case '"':
      out += "\\(dq";
      break;
    case '\n':
      out += ' ';
      break;
    default:
      out += c;
    }
    ++at;
  }
  return out;
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return static_cast<char>(std::toupper(c));
  });
  return text;
}

std::string bold(std::string_view text) {
  return "\\fB" + roff(text) + "\\fR";
}

std::string italic(std::string_view text) {
  return "\\fI" + roff(text) + "\\fR";
}

// A page under construction: requests (".SH NAME") and text lines.
class Page {
public:
  void request(const std::string& line) { m_text += line + "\n"; }

  // A text line. One starting with '.' or '\'' would be read as a request:
  // the zero-width \& in front keeps it text. Blank lines and leading spaces
  // are left out (in fill mode they would force breaks).
  void text(const std::string& line) {
    const std::string_view trimmed = util::trim(line);
    if (trimmed.empty()) {
      return;
    }
    if (trimmed.front() == '.' || trimmed.front() == '\'') {
      m_text += "\\&";
    }
    m_text += std::string(trimmed) + "\n";
  }

  // A line of a no-fill block, where leading spaces are kept.
  void verbatim(const std::string& line) {
    if (!line.empty() && (line.front() == '.' || line.front() == '\'')) {
      m_text += "\\&";
    }
    m_text += line + "\n";
  }

  void section(const std::string& name) { request(".SH " + name); }

  const std::string& str() const { return m_text; }

private:
  std::string m_text;
};

// The option's names in bold, comma-separated, and its value in italics:
// "\fB\-o\fR, \fB\-\-output\fR \fITEXT\fR".
std::string option_heading(const OptionDoc& option, bool positional) {
  std::string heading;
  for (const auto& name : option.names) {
    heading += (heading.empty() ? "" : ", ") + (positional ? italic(name) : bold(name));
  }
  if (!positional && option.takes_value()) {
    heading += " " + italic(option.value_name);
  }
  if (positional && option.repeatable) {
    heading += " ...";
  }
  return heading;
}

std::string bold_list(const std::vector<std::string>& names) {
  std::vector<std::string> parts;
  parts.reserve(names.size());
  for (const auto& name : names) {
    parts.push_back(bold(name));
  }
  return util::join(parts, ", ");
}

// What the help says about an option beyond its text: default, choices,
// constraints, conflicts, requirements, environment.
std::vector<std::string> option_facts(const OptionDoc& option) {
  std::vector<std::string> facts;
  if (option.required) {
    facts.emplace_back("Required.");
  }
  if (!option.default_value.empty()) {
    facts.push_back("Default: " + bold(option.default_value) + ".");
  }
  if (!option.choices.empty()) {
    facts.push_back("One of: " + bold_list(option.choices) + ".");
  }
  for (const auto& constraint : option.constraints) {
    facts.push_back("Value: " + roff(constraint) + ".");
  }
  if (!option.excludes.empty()) {
    facts.push_back("Cannot be used with " + bold_list(option.excludes) + ".");
  }
  if (!option.needs.empty()) {
    facts.push_back("Requires " + bold_list(option.needs) + ".");
  }
  if (!option.env.empty()) {
    facts.push_back("Read from " + bold(option.env) + " when not given.");
  }
  if (option.repeatable) {
    facts.emplace_back("May be given more than once.");
  }
  return facts;
}

void write_option(Page& page, const OptionDoc& option, bool positional) {
  page.request(".TP");
  page.text(option_heading(option, positional));
  page.text(roff(option.help));
  const auto facts = option_facts(option);
  if (!facts.empty()) {
    page.request(".br"); // the help text often ends without a full stop
    for (const auto& fact : facts) {
      page.text(fact);
    }
  }
}

// Splits an example command at spaces outside quotes into lines of at most
// about `width` characters, joined by shell line continuations, so it fits an
// 80-column terminal and still runs when pasted. A trailing "# comment" is
// never split (a continuation inside a comment would swallow the next line).
std::vector<std::string> wrap_command(const std::string& command, std::size_t width) {
  std::vector<std::string> words;
  std::string word;
  char quote = 0;
  for (std::size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (quote == 0 && c == '#' && word.empty()) {
      words.push_back(command.substr(i));
      word.clear();
      break;
    }
    if (quote == 0 && c == ' ') {
      if (!word.empty()) {
        words.push_back(word);
      }
      word.clear();
      continue;
    }
    if (c == '"' || c == '\'') {
      // Opens a quote, closes the one it opened, or is quoted itself.
      if (quote == 0) {
        quote = c;
      } else if (quote == c) {
        quote = 0;
      }
    }
    word += c;
  }
  if (!word.empty()) {
    words.push_back(word);
  }
  std::vector<std::string> lines{""};
  for (const auto& w : words) {
    if (!lines.back().empty() && lines.back().size() + 1 + w.size() > width) {
      lines.back() += " \\";
      lines.emplace_back("  ");
    }
    lines.back() += (lines.back().empty() || lines.back() == "  " ? "" : " ") + w;
  }
  return lines;
}

std::string synopsis(const CommandDoc& command) {
  // Unbreakable spaces (\ ) keep "rockart s3 cp" on one line.
  std::vector<std::string> words;
  for (const auto& word : util::split(command.command_line_name(), ' ')) {
    words.push_back(roff(word));
  }
  std::string line = "\\fB" + util::join(words, "\\ ") + "\\fR [" + italic("OPTIONS") + "]";
  for (const auto& option : command.options) {
    if (option.required) {
      line += " " + bold(option.names.back());
      if (option.takes_value()) {
        line += " " + italic(option.value_name);
      }
    }
  }
  for (const auto& argument : command.arguments) {
    std::string text = italic(argument.names.front()) + (argument.repeatable ? " ..." : "");
    line += " " + (argument.required ? text : "[" + text + "]");
  }
  if (!command.subcommands.empty()) {
    line += " " + (command.requires_subcommand ? italic("COMMAND") : "[" + italic("COMMAND") + "]");
  }
  return line;
}

std::string page_reference(const std::string& page_name) {
  return bold(page_name) + "(1)";
}

void write_options(Page& page, const CommandDoc& command) {
  page.section("OPTIONS");
  if (!command.arguments.empty()) {
    page.request(".SS Arguments");
    for (const auto& argument : command.arguments) {
      write_option(page, argument, true);
    }
  }
  // CLI11 groups options under "Options" unless a command named another
  // group; each other group gets its own subsection, in first-use order.
  std::vector<std::string> groups;
  for (const auto& option : command.options) {
    if (std::find(groups.begin(), groups.end(), option.group) == groups.end()) {
      groups.push_back(option.group);
    }
  }
  for (const auto& group : groups) {
    if (group != "Options" || !command.arguments.empty()) {
      page.request(".SS " + roff(group));
    }
    for (const auto& option : command.options) {
      if (option.group == group) {
        write_option(page, option, false);
      }
    }
  }
  for (const auto& inherited : command.inherited) {
    page.request(".SS Options of " + roff(inherited.from) + ", accepted here too");
    for (const auto& option : inherited.options) {
      write_option(page, option, false);
    }
  }
}

void write_examples(Page& page, const CommandDoc& command) {
  page.section("EXAMPLES");
  for (const auto& example : command.examples) {
    page.request(".PP");
    if (!example.comment.empty()) {
      page.text(roff(example.comment));
      page.request(".PP");
    }
    page.request(".RS 4");
    page.request(".nf");
    for (const auto& line : wrap_command(example.command, 64)) {
      page.verbatim(roff(line));
    }
    page.request(".fi");
    page.request(".RE");
  }
}

void write_see_also(Page& page, const CommandDoc& command) {
  std::vector<std::string> pages;
  if (!command.path.empty()) {
    pages.emplace_back("rockart");
    if (command.path.size() > 1) {
      pages.push_back(
          "rockart-"
          + util::join(std::vector<std::string>(command.path.begin(), command.path.end() - 1),
                       "-"));
    }
  }
  for (const auto& sub : command.subcommands) {
    pages.push_back(sub.page_name());
  }
  if (pages.empty()) {
    return;
  }
  std::vector<std::string> references;
  references.reserve(pages.size());
  for (const auto& name : pages) {
    references.push_back(page_reference(name));
  }
  page.section("SEE ALSO");
  page.text(util::join(references, ", "));
}

std::string render(const CommandDoc& command, const std::string& version) {
  Page page;
  page.request(R"(.\" Generated by `rockart __generate-docs` from the command definitions )"
               "(src/cli/); do not edit.");
  page.request(".TH " + roff(upper(command.page_name())) + R"( 1 "" "rockart )" + roff(version)
               + R"(" "rockart manual")");
  // Option names and URIs read badly hyphenated or stretched by justification.
  page.request(".nh");
  page.request(".ad l");
  page.section("NAME");
  page.text(roff(command.page_name()) + " \\- " + roff(command.summary()));
  page.section("SYNOPSIS");
  page.text(synopsis(command));
  page.section("DESCRIPTION");
  page.text(roff(command.description));
  for (const auto& note : command.notes) {
    page.request(".PP");
    page.text(roff(note));
  }
  if (!command.subcommands.empty()) {
    page.section("COMMANDS");
    for (const auto& sub : command.subcommands) {
      page.request(".TP");
      page.text(bold(sub.path.back()));
      page.text(roff(sub.description));
      page.request(".br");
      page.text("See " + page_reference(sub.page_name()) + ".");
    }
  }
  write_options(page, command);
  write_examples(page, command);
  page.section("EXIT STATUS");
  page.text(roff(command.exit_status));
  write_see_also(page, command);
  return page.str();
}

void render_tree(const CommandDoc& command,
                 const std::string& version,
                 std::vector<GeneratedFile>& pages) {
  pages.push_back({command.page_name() + ".1", render(command, version)});
  for (const auto& sub : command.subcommands) {
    render_tree(sub, version, pages);
  }
}

} // namespace

std::vector<GeneratedFile> man_pages(const CommandDoc& root, const std::string& version) {
  std::vector<GeneratedFile> pages;
  render_tree(root, version, pages);
  return pages;
}

} // namespace rockart::cli::docs
