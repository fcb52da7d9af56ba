// SPDX-License-Identifier: MIT
#include "aws_config_file.hpp"

#include <rockart/error.hpp>
#include <rockart/util/strings.hpp>

#include <array>
#include <fstream>
#include <system_error>

namespace rockart::s3::detail {

namespace {

[[noreturn]] void fail(const std::filesystem::path& path, size_t line, const std::string& why) {
  throw ConfigError("malformed AWS config file " + path.string() + " line " + std::to_string(line)
                        + ": " + why,
                    "fix that line, or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE "
                    "at another file");
}

struct Parser {
  const std::filesystem::path& path;
  IniSections sections;
  std::map<std::string, std::string>* section = nullptr;
  std::string* last_value = nullptr; // target of continuation lines

  void section_line(std::string_view line, size_t number) {
    const std::string_view body = util::trim(line);
    if (body.size() < 2 || body.back() != ']') {
      fail(path, number, "a section header must look like [name]");
    }
    const std::string name(util::trim(body.substr(1, body.size() - 2)));
    if (name.empty()) {
      fail(path, number, "empty section name []");
    }
    auto [it, inserted] = sections.try_emplace(name);
    if (!inserted) {
      fail(path, number, "section [" + name + "] appears twice");
    }
    section = &it->second;
    last_value = nullptr;
  }

  void key_line(std::string_view line, size_t number) {
    // Python's configparser accepts both delimiters and splits at the first.
    const size_t pos = line.find_first_of("=:");
    if (pos == std::string_view::npos) {
      fail(path, number, "expected 'key = value' or '[section]'");
    }
    if (section == nullptr) {
      fail(path, number, "'key = value' before the first [section]");
    }
    const std::string key = util::to_lower(util::trim(line.substr(0, pos)));
    if (key.empty()) {
      fail(path, number, "missing key name before '" + std::string(1, line[pos]) + "'");
    }
    auto [it, inserted] = section->try_emplace(key, util::trim(line.substr(pos + 1)));
    if (!inserted) {
      fail(path, number, "key '" + key + "' appears twice in one section");
    }
    last_value = &it->second;
  }

  void line(std::string_view raw, size_t number) {
    const std::string_view text = util::trim(raw);
    if (text.empty() || text.front() == '#' || text.front() == ';') {
      return;
    }
    if (raw.front() == ' ' || raw.front() == '\t') {
      if (last_value == nullptr) {
        fail(path, number, "indented line without a key above it");
      }
      *last_value += '\n';
      *last_value += text;
      return;
    }
    if (text.front() == '[') {
      section_line(text, number);
    } else {
      key_line(text, number);
    }
  }
};

} // namespace

IniSections parse_aws_ini(std::string_view text, const std::filesystem::path& path) {
  Parser parser{path, {}};
  size_t number = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    parser.line(line, ++number);
    start = end + 1;
  }
  return std::move(parser.sections);
}

std::optional<IniSections> read_aws_ini(const std::filesystem::path& path) {
  std::error_code ec;
  if (path.empty() || !std::filesystem::exists(path, ec)) {
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  const bool readable = in && !std::filesystem::is_directory(path, ec);
  std::string text;
  std::array<char, 4096> buffer{};
  while (readable && (in.read(buffer.data(), buffer.size()) || in.gcount() > 0)) {
    text.append(buffer.data(), static_cast<size_t>(in.gcount()));
  }
  if (!readable || in.bad()) {
    throw ConfigError("cannot read AWS config file " + path.string(),
                      "check its permissions, or point AWS_CONFIG_FILE / "
                      "AWS_SHARED_CREDENTIALS_FILE at another file");
  }
  return parse_aws_ini(text, path);
}

} // namespace rockart::s3::detail
