// SPDX-License-Identifier: MIT
// Shared test helpers: temp dirs, local fake servers, running the built binary.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rockart::test {

// A fresh directory under $TMPDIR, removed recursively on destruction.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return m_path; }

private:
  std::filesystem::path m_path;
};

// A server process on 127.0.0.1 (python3 script, moto, ...). The command must
// print `PORT=<n>` on stdout once listening and exit when its stdin closes.
// The destructor closes stdin, then terminates and reaps the process.
class LocalServer {
public:
  // Starts `argv` and waits up to `timeout_s` for the PORT line. On failure
  // `ok()` is false and `error()` says why.
  explicit LocalServer(const std::vector<std::string>& argv, int timeout_s = 30);
  ~LocalServer();
  LocalServer(const LocalServer&) = delete;
  LocalServer& operator=(const LocalServer&) = delete;

  bool ok() const { return m_port > 0; }

  int port() const { return m_port; }

  const std::string& error() const { return m_error; }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

private:
  int m_pid = -1;
  int m_stdin = -1;
  int m_port = 0;
  std::string m_error;
};

// Starts moto's S3 server through tests/fakes/run_moto.py (free port).
std::unique_ptr<LocalServer> start_moto();

// Starts `python3 tests/fakes/<script> args...`.
std::unique_ptr<LocalServer> start_fake(const std::string& script,
                                        const std::vector<std::string>& args = {});

// GTEST_SKIP()s with `reason` unless ROCKART_REQUIRE_FAKES=1, which turns the
// skip into a failure (CI). Use as: if (!server->ok()) { ROCKART_SKIP_OR_FAIL(...); }
#define ROCKART_SKIP_OR_FAIL(reason)                                                               \
  do {                                                                                             \
    if (::rockart::test::fakes_required()) {                                                       \
      FAIL() << "required fake unavailable: " << (reason);                                         \
    }                                                                                              \
    GTEST_SKIP() << (reason);                                                                      \
  } while (0)

bool fakes_required();

struct ProcessResult {
  int exit_code = -1; // 128 + signal when killed by a signal
  std::string out;
  std::string err;
  std::uint64_t peak_rss_kib = 0; // VmHWM from /proc, with RunOptions::sample_peak_rss
};

struct RunOptions {
  std::map<std::string, std::string> env; // set on top of a minimal clean environment
  std::optional<std::filesystem::path> cwd;
  std::string stdin_data;
  bool inherit_env = false; // when false only PATH, HOME, TMPDIR, LANG are inherited
  // Reads the child's peak resident set (VmHWM in /proc/PID/status) every
  // 20 ms while it runs; the last reading before it exits is the peak.
  bool sample_peak_rss = false;
  // Stderr is a pseudo-terminal of this many columns (stdout stays a file);
  // what the child wrote to it, escape sequences and all, is ProcessResult::err.
  std::optional<unsigned short> terminal_columns;
  // Called with the child's pid once it runs, before waiting for it (to
  // signal it, resize its terminal, ...); returns when it is done.
  std::function<void(int pid)> while_running;
};

// Runs `argv` (argv[0] resolved through PATH) to completion, capturing output.
ProcessResult run_process(const std::vector<std::string>& argv, const RunOptions& options = {});

// Runs the built `rockart` binary with `args`.
ProcessResult run_rockart(const std::vector<std::string>& args, const RunOptions& options = {});

// Pointers to the strings of `storage` and a final nullptr, for exec and
// posix_spawn (valid while `storage` lives unchanged).
std::vector<char*> c_strings(std::vector<std::string>& storage);

// Whether `pid` is a live process: not gone, and not a zombie (an orphan
// waits for init to reap it, which is not a test's business).
bool process_running(int pid);

// A pid that was a process of this host and no longer is (a child that
// exited and was reaped), for tests of "the owner is gone" rules.
int dead_pid();

// Reads a whole file; throws std::runtime_error when it cannot.
std::string read_file(const std::filesystem::path& path);

// Writes `data` to `path`, creating parent directories.
void write_file(const std::filesystem::path& path, std::string_view data);

} // namespace rockart::test

// Asserts that `statement` throws `Type` whose what() contains `substring`.
#define EXPECT_ERROR(statement, Type, substring)                                                   \
  do {                                                                                             \
    try {                                                                                          \
      statement;                                                                                   \
      ADD_FAILURE() << "expected " #Type " containing '" << (substring) << "'";                    \
    } catch (const Type& e) {                                                                      \
      EXPECT_NE(std::string(e.what()).find(substring), std::string::npos)                          \
          << "message was: " << e.what();                                                          \
    }                                                                                              \
  } while (0)
