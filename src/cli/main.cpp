// SPDX-License-Identifier: MIT
// rockart entry point: builds the command tree, runs one subcommand and maps
// any rockart::Error to the documented exit code (the only catch-all).
#include "build_commit.hpp"
#include "cli.hpp"
#include "command_line.hpp"
#include "interrupt.hpp"

#include <rockart/error.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/version.hpp>

#include <nlohmann/json.hpp>

#include <malloc.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <iostream>

namespace {

void print_error(const rockart::Error& e, bool json) {
  if (json) {
    nlohmann::json doc = {{"status", "error"},
                          {"error", {{"kind", e.kind()}, {"message", e.what()}}}};
    if (!e.hint().empty()) {
      doc["error"]["hint"] = e.hint();
    }
    std::cout << rockart::cli::json_text(doc) << std::flush;
  }
  std::cerr << "rockart: error: " << e.what() << "\n";
  if (!e.hint().empty()) {
    std::cerr << "hint: " << e.hint() << "\n";
  }
}

void apply_verbosity(const rockart::cli::Context& context) {
  using rockart::util::LogLevel;
  if (context.quiet) {
    rockart::util::set_log_level(LogLevel::error);
  } else if (context.verbose >= 2) {
    rockart::util::set_log_level(LogLevel::trace);
  } else if (context.verbose == 1) {
    rockart::util::set_log_level(LogLevel::debug);
  }
}

// Whether errors are printed as JSON on stdout too: --json was asked for. Set
// before parsing, so usage errors are JSON as well. find and latest never
// print an error on stdout: their callers (TheRock's scripts) read stdout only
// on success.
bool wants_json_errors(const std::vector<std::string>& args) {
  bool json = false;
  for (const auto& arg : args) {
    if (arg == "--") {
      break;
    }
    json = json || arg == "--json";
  }
  const auto command = std::find_if(
      args.begin(), args.end(), [](const std::string& arg) { return !arg.starts_with("-"); });
  return json && command != args.end() && *command != "find" && *command != "latest";
}

} // namespace

namespace rockart::cli {

void print_out(const std::string& text) {
  (void)std::fwrite(text.data(), 1, text.size(), stdout);
  (void)std::fflush(stdout);
}

std::string json_text(nlohmann::json doc) {
  if (doc.is_object() && !doc.contains("schema_version")) {
    doc["schema_version"] = 1;
  }
  // Bytes from the network or an archive that are not UTF-8 are shown as
  // U+FFFD rather than ending the output with an exception.
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace rockart::cli

// Errors are caught and reported below; anything escaping (bad_alloc in setup) should abort.
int main(int argc, char** argv) { // NOLINT(bugprone-exception-escape)
  // A fetch's byte ranges are buffers of a few MiB, made and freed by dozens
  // of threads. glibc raises its mmap threshold after the first such free
  // and then keeps them in per-thread arenas that hand little back: the
  // resident set grew to 1.7x the buffers' budget. A fixed threshold maps
  // each large buffer on its own and returns it to the system when freed.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  rockart::cli::handle_interrupts();
  rockart::cli::Context context;
  CLI::App app{"rockart: locate, upload, find, fetch and bisect the CI outputs of ROCm's TheRock "
               "build system.",
               "rockart"};
  app.set_version_flag("--version",
                       "rockart " + rockart::util::version() + " (git "
                           + rockart::cli::build_commit() + ")");
  app.require_subcommand(1);
  app.fallthrough();
  app.add_flag("-v,--verbose", context.verbose, "More logging (-v debug, -vv trace)");
  app.add_flag("-q,--quiet", context.quiet, "Only print errors");
  app.add_option("--progress",
                 context.progress,
                 "Progress on stderr: auto (a live line on a terminal, not in CI or with "
                 "TERM=dumb), bar (always the live line), plain (one line per item)")
      ->check(CLI::IsMember({"auto", "bar", "plain"}))
      ->default_str("auto");
  app.add_flag_callback(
      "--no-progress",
      [&context] { context.progress = "plain"; },
      "No live progress line: one line per item (--progress=plain)");
  app.parse_complete_callback([&context] { apply_verbosity(context); });

  // Subcommands: one register_<name>() per file in src/cli/.
  rockart::cli::register_bucket(app, context);
  rockart::cli::register_locate(app, context);
  rockart::cli::register_s3(app, context);
  rockart::cli::register_upload(app, context);
  rockart::cli::register_push(app, context);
  rockart::cli::register_index(app, context);
  rockart::cli::register_copy(app, context);
  rockart::cli::register_stages(app, context);
  rockart::cli::register_find(app, context);
  rockart::cli::register_latest(app, context);
  rockart::cli::register_fetch(app, context);
  rockart::cli::register_install(app, context);
  rockart::cli::register_cache(app, context);
  rockart::cli::register_bisect(app, context);
  rockart::cli::register_help(app);
  rockart::cli::add_examples(app);
  rockart::cli::register_generate_docs(app);

  const std::vector<std::string> args(argv + 1, argv + argc);
  context.json = wants_json_errors(args);
  try {
    rockart::cli::check_command_line(app, args);
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (context.json) {
      print_error(rockart::UsageError(e.what()), true);
      return static_cast<int>(rockart::ExitCode::error);
    }
    app.exit(e);
    return static_cast<int>(rockart::ExitCode::error);
  } catch (const rockart::Error& e) {
    print_error(e, context.json);
    return static_cast<int>(e.exit_code());
  } catch (const std::exception& e) {
    print_error(rockart::Error(std::string("internal error: ") + e.what()), context.json);
    return static_cast<int>(rockart::ExitCode::error);
  }
  return context.exit_code;
}
