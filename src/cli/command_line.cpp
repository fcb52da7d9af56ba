// SPDX-License-Identifier: MIT
#include "command_line.hpp"

#include "cli.hpp"

#include <rockart/error.hpp>
#include <rockart/util/strings.hpp>

#include <memory>

namespace rockart::cli {

namespace {

// The names a typo is compared with: hidden commands (an empty group, like
// __generate-docs) are never suggested.
std::vector<std::string> subcommand_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (!sub->get_name().empty() && !sub->get_group().empty()) {
      names.push_back(sub->get_name());
    }
  }
  return names;
}

// The subcommand of `app` called `name`, or nullptr.
const CLI::App* find_subcommand(const CLI::App& app, const std::string& name) {
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (!sub->get_name().empty() && sub->check_name(name)) {
      return sub;
    }
  }
  return nullptr;
}

// The option `name` ("--x") as `app` or one of its parents (whose options a
// subcommand accepts too) defines it; nullptr when none does.
const CLI::Option* find_option(const CLI::App* app, const std::string& name) {
  for (; app != nullptr; app = app->get_parent()) {
    if (const CLI::Option* option = app->get_option_no_throw(name)) {
      return option;
    }
  }
  return nullptr;
}

// Every long option name ("--x") `app` and its parents define.
std::vector<std::string> long_names(const CLI::App* app) {
  std::vector<std::string> names;
  for (; app != nullptr; app = app->get_parent()) {
    for (const CLI::Option* option : app->get_options()) {
      for (const auto& name : option->get_lnames()) {
        names.push_back("--" + name);
      }
    }
  }
  return names;
}

std::string command_path(const CLI::App* app) {
  std::string path;
  for (; app != nullptr; app = app->get_parent()) {
    path = app->get_name() + (path.empty() ? "" : " " + path);
  }
  return path;
}

[[noreturn]] void unknown(const std::string& what,
                          const std::string& typed,
                          const CLI::App* app,
                          const std::vector<std::string>& known) {
  const auto closest = util::closest_names(typed, known);
  const std::string path = command_path(app);
  std::string hint = closest.empty() ? "" : "did you mean " + util::join(closest, " or ") + "? ";
  hint += "See `" + path + " --help`";
  throw UsageError("unknown " + what + " '" + typed + "' for '" + path + "'", hint);
}

} // namespace

void check_command_line(const CLI::App& app, const std::vector<std::string>& args) {
  const CLI::App* current = &app;
  bool skip_value = false;
  for (const std::string& arg : args) {
    if (skip_value) {
      skip_value = false;
      continue;
    }
    if (arg == "--") {
      return;
    }
    if (arg.starts_with("--")) {
      const std::string name = arg.substr(0, arg.find('='));
      const CLI::Option* option = find_option(current, name);
      if (option == nullptr) {
        unknown("option", name, current, long_names(current));
      }
      skip_value = arg.find('=') == std::string::npos && option->get_items_expected_min() > 0;
      continue;
    }
    if (arg.starts_with("-") && arg.size() > 1) {
      const CLI::Option* option = find_option(current, arg.substr(0, 2));
      skip_value = option != nullptr && arg.size() == 2 && option->get_items_expected_min() > 0;
      continue;
    }
    const auto names = subcommand_names(*current);
    if (names.empty()) {
      continue; // a positional argument of a leaf command
    }
    const CLI::App* sub = find_subcommand(*current, arg);
    if (sub == nullptr) {
      if (current->get_require_subcommand_min() == 0) {
        continue;
      }
      unknown("command", arg, current, names);
    }
    current = sub;
  }
}

std::string help_for(const CLI::App& app, const std::vector<std::string>& path) {
  const CLI::App* current = &app;
  for (const auto& word : path) {
    const CLI::App* sub = find_subcommand(*current, word);
    if (sub == nullptr) {
      unknown("command", word, current, subcommand_names(*current));
    }
    current = sub;
  }
  // Formatted directly: App::help() shows the subcommand being parsed (`help` itself).
  const std::string path_text = command_path(current->get_parent());
  return current->get_formatter()->make_help(
      current,
      path_text.empty() ? current->get_name() : path_text + " " + current->get_name(),
      CLI::AppFormatMode::Normal);
}

void register_help(CLI::App& app) {
  auto words = std::make_shared<std::vector<std::string>>();
  CLI::App* help = app.add_subcommand("help", "Show the help of rockart or of one command");
  help->add_option("command", *words, "The command, e.g. `fetch` or `s3 cp`");
  help->footer("Examples:\n  rockart help\n  rockart help fetch\n  rockart help s3 cp\n"
               "Exit status: 0 shown, 2 unknown command.");
  help->callback([&app, words] { print_out(help_for(app, *words)); });
}

} // namespace rockart::cli
