// SPDX-License-Identifier: MIT
// What a person at a terminal sees, and what Ctrl-C, kill -9 and a full disk
// leave behind: the progress line in a pseudo-terminal (every frame fits the
// width, it follows a resize, it is off in CI, with TERM=dumb and with
// --no-progress); SIGINT mid-fetch (one message, no staging left, exit 130);
// a killed fetch's staging removed by the next run; a full tmpfs (one message,
// exit 2, no half-written archive directory).
#include "fetch_fixture.hpp"

#include <rockart/layout/artifact.hpp>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace rockart::test {
namespace {

using namespace std::chrono_literals;

// What the terminal showed: the finished lines (text before each newline) and
// every frame drawn (the text between carriage returns, without the erase-line
// sequence), in order.
struct Screen {
  std::vector<std::string> lines;  // the last frame of each line, as it stays on screen
  std::vector<std::string> frames; // every frame
};

Screen parse_terminal(std::string text) {
  // The pseudo-terminal turns "\n" into "\r\n".
  for (std::size_t at = 0; (at = text.find("\r\n", at)) != std::string::npos;) {
    text.replace(at, 2, "\n");
  }
  for (std::size_t at = 0; (at = text.find("\033[K", at)) != std::string::npos;) {
    text.erase(at, 3);
  }
  Screen screen;
  std::string frame;
  for (const char c : text) {
    if (c == '\r' || c == '\n') {
      if (!frame.empty()) {
        screen.frames.push_back(frame);
      }
      if (c == '\n') {
        screen.lines.push_back(frame);
      }
      frame.clear();
    } else {
      frame += c;
    }
  }
  if (!frame.empty()) {
    screen.frames.push_back(frame);
  }
  return screen;
}

bool is_status_frame(const std::string& frame) {
  return frame.find(" net ") != std::string::npos;
}

std::size_t status_frames(const Screen& screen) {
  return static_cast<std::size_t>(
      std::count_if(screen.frames.begin(), screen.frames.end(), is_status_frame));
}

class FetchTerminal : public FetchE2E {
protected:
  void SetUp() override {
    FetchE2E::SetUp();
    if (HasFatalFailure() || IsSkipped()) {
      return;
    }
    // The eight small archives (3.7 MiB compressed): a capped fetch of them
    // takes seconds.
    std::vector<fs::path> small;
    for (const auto& file : files_in(data_dir("zst"))) {
      if (file.filename().string().find("big_lib") == std::string::npos) {
        small.push_back(file);
      }
    }
    seed(small);
  }

  // `rockart fetch` of run 100 into `out` with `args`, its own empty cache
  // each time (so the bandwidth cap applies), and `options` on top of the
  // fixture's environment.
  ProcessResult
  fetch_with(const fs::path& out, const std::vector<std::string>& args, RunOptions options) {
    std::vector<std::string> with_out = {"--output-dir", out.string()};
    with_out.insert(with_out.end(), args.begin(), args.end());
    const auto argv = command_line("fetch", with_out);
    RunOptions env = rockart_env();
    env.env["ROCKART_CACHE_DIR"] = (m_work.path() / ("cache" + std::to_string(m_runs++))).string();
    for (const auto& [key, value] : options.env) {
      env.env[key] = value;
    }
    env.terminal_columns = options.terminal_columns;
    env.while_running = options.while_running;
    return run_rockart(argv, env);
  }

  int m_runs = 0;
};

RunOptions terminal(unsigned short columns) {
  RunOptions options;
  options.terminal_columns = columns;
  options.env["TERM"] = "xterm-256color";
  return options;
}

// Every status frame fits (log lines may wrap like any), and no status line
// is left behind as a line of its own.
void expect_fits(const Screen& screen, std::size_t columns) {
  for (const auto& frame : screen.frames) {
    if (is_status_frame(frame)) {
      EXPECT_LT(frame.size(), columns) << "frame wider than the terminal: " << frame;
    }
  }
  for (const auto& line : screen.lines) {
    EXPECT_FALSE(is_status_frame(line)) << "a stale status line stayed on screen: " << line;
  }
}

TEST_F(FetchTerminal, EveryFrameFitsAnEightyColumnTerminal) {
  const auto r = fetch_with(m_work.path() / "out", {"--max-bandwidth", "2MB/s"}, terminal(80));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Screen screen = parse_terminal(r.err);
  EXPECT_GE(status_frames(screen), 3u) << r.err; // the line was drawn, several times
  expect_fits(screen, 80);
  // Successes show in the status line, not as a line each; the summary stays.
  ASSERT_FALSE(screen.lines.empty());
  EXPECT_NE(screen.lines.back().find("fetched 8 of 8 archives"), std::string::npos) << r.err;
}

TEST_F(FetchTerminal, AWideTerminalShowsMoreAndAResizeNarrowsTheLineAtOnce) {
  RunOptions options = terminal(200);
  options.while_running = [](int pid) {
    std::this_thread::sleep_for(1s);
    // What a terminal emulator does when its window shrinks.
    const int fd = ::open(("/proc/" + std::to_string(pid) + "/fd/2").c_str(), O_RDWR | O_NOCTTY);
    ASSERT_GE(fd, 0);
    winsize size{};
    size.ws_col = 60;
    size.ws_row = 24;
    ASSERT_EQ(::ioctl(fd, TIOCSWINSZ, &size), 0);
    ::close(fd);
    ::kill(pid, SIGWINCH);
  };
  const auto r = fetch_with(m_work.path() / "out", {"--max-bandwidth", "1MB/s"}, options);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Screen screen = parse_terminal(r.err);
  expect_fits(screen, 200);
  std::vector<std::string> bars;
  std::copy_if(
      screen.frames.begin(), screen.frames.end(), std::back_inserter(bars), is_status_frame);
  ASSERT_GE(bars.size(), 4u) << r.err;
  // Before the resize the line names archives in flight beyond 80 columns.
  EXPECT_GT(bars.front().size(), 80u) << bars.front();
  EXPECT_LT(bars.back().size(), 60u) << bars.back();
}

TEST_F(FetchTerminal, NoStatusLineInCiWithADumbTerminalOrWhenAskedNot) {
  struct Case {
    const char* name;
    std::map<std::string, std::string> env;
    std::vector<std::string> args;
  };

  const std::vector<Case> cases = {
      {"CI=true", {{"CI", "true"}}, {}},
      {"TERM=dumb", {{"TERM", "dumb"}}, {}},
      {"--no-progress", {}, {"--no-progress"}},
      {"--progress=plain", {}, {"--progress=plain"}},
  };
  for (const auto& c : cases) {
    RunOptions options = terminal(120);
    for (const auto& [key, value] : c.env) {
      options.env[key] = value;
    }
    std::vector<std::string> args = {"--max-bandwidth", "4MB/s"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const fs::path out = m_work.path() / ("out-" + std::to_string(m_runs));
    const auto r = fetch_with(out, args, options);
    ASSERT_EQ(r.exit_code, 0) << c.name << "\n" << r.err;
    const Screen screen = parse_terminal(r.err);
    EXPECT_EQ(status_frames(screen), 0u) << c.name << "\n" << r.err;
    // One line per archive instead.
    const auto fetched = std::count_if(screen.lines.begin(), screen.lines.end(), [](auto& line) {
      return line.find("++ Fetched ") != std::string::npos;
    });
    EXPECT_EQ(fetched, 8) << c.name << "\n" << r.err;
  }
}

// The staging directories in `out` (hidden, named by the fetch).
std::vector<std::string> staging_in(const fs::path& out) {
  std::vector<std::string> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(out, error)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(".rockart-")) {
      found.push_back(name);
    }
  }
  return found;
}

// Waits (up to 20 s) until a staging directory exists in `out`.
bool wait_for_staging(const fs::path& out) {
  for (int i = 0; i < 2000; ++i) {
    if (!staging_in(out).empty()) {
      return true;
    }
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

TEST_F(FetchTerminal, CtrlCSaysHowToResumeRemovesItsStagingAndExits130) {
  const fs::path out = m_work.path() / "out";
  bool staged = false;
  RunOptions options;
  options.while_running = [&](int pid) {
    staged = wait_for_staging(out);
    std::this_thread::sleep_for(200ms); // mid-archive, bytes on disk
    ::kill(pid, SIGINT);
  };
  const auto r = fetch_with(out, {"--max-bandwidth", "2MB/s"}, options);
  ASSERT_TRUE(staged) << "the fetch never staged anything\n" << r.err;
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_NE(r.err.find("interrupted; re-run the same command to resume"), std::string::npos)
      << r.err;
  EXPECT_EQ(staging_in(out), std::vector<std::string>{}) << r.err;
  // The same command finishes the job.
  const auto again = fetch_with(out, {}, {});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("fetched 8 of 8 archives"), std::string::npos) << again.err;
}

TEST_F(FetchTerminal, TheNextRunRemovesTheStagingOfAKilledOne) {
  const fs::path out = m_work.path() / "out";
  std::vector<std::string> left;
  RunOptions options;
  options.while_running = [&](int pid) {
    wait_for_staging(out);
    std::this_thread::sleep_for(200ms);
    ::kill(pid, SIGKILL); // no handler runs
  };
  const auto killed = fetch_with(out, {"--max-bandwidth", "2MB/s"}, options);
  ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << killed.err;
  left = staging_in(out);
  ASSERT_FALSE(left.empty()) << "kill -9 should leave the staging behind";
  const auto again = fetch_with(out, {}, {});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(staging_in(out), std::vector<std::string>{}) << again.err;
  EXPECT_NE(again.err.find("of an interrupted run"), std::string::npos) << again.err;
}

TEST_F(FetchTerminal, AFullDiskIsReportedOnceStopsNewWorkAndExits2) {
  const fs::path mount_point = m_work.path() / "small";
  fs::create_directories(mount_point);
  if (::mount("tmpfs", mount_point.c_str(), "tmpfs", 0, "size=3m") != 0) {
    GTEST_SKIP() << "cannot mount a 3 MiB tmpfs here (" << std::strerror(errno)
                 << "): needs root or CAP_SYS_ADMIN";
  }

  struct Unmount {
    fs::path path;

    ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
  } unmount{mount_point};

  const fs::path out = mount_point / "out";
  const auto r = fetch_with(out, {"--extract-concurrency", "1"}, {});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  const auto count = [&](const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = 0; (at = r.err.find(needle, at)) != std::string::npos; ++at) {
      ++n;
    }
    return n;
  };
  EXPECT_EQ(count("No space left on device"), 1u) << r.err;
  EXPECT_EQ(count("the disk is full"), 1u) << r.err;
  EXPECT_NE(r.err.find("is free"), std::string::npos) << r.err;
  // Nothing half-written: every archive directory in out is complete or absent.
  EXPECT_EQ(staging_in(out), std::vector<std::string>{}) << r.err;
  const fs::path ref = m_work.path() / "ref";
  std::vector<fs::path> archives;
  for (const auto& file : archives_of(files_in(data_dir("zst")))) {
    if (file.filename().string().find("big_lib") == std::string::npos) {
      archives.push_back(file);
    }
  }
  reference_extract(archives, ref);
  for (const auto& entry : fs::directory_iterator(out)) {
    EXPECT_EQ(tree_differences(ref / entry.path().filename(), entry.path()),
              std::vector<std::string>{})
        << entry.path();
  }
}

// One retry loop per request: a server that keeps failing one archive costs
// the S3 client's three attempts, not three per attempt of the archive; the
// failure is printed once.
TEST_F(FetchE2E, APersistentServerErrorCostsOneRetryLoopAndOneMessage) {
  const auto archives = archives_of(files_in(data_dir("xz")));
  seed(files_in(data_dir("xz")));
  const std::string name = archives.front().filename().string();
  const std::string key = "GET /" + m_bucket + "/100-linux/" + name;
  faults("{\"" + key + "\": [500, 500, 500, 500, 500, 500, 500, 500, 500]}");
  const fs::path out = m_work.path() / "out";
  const auto r = fetch({"--output-dir", out.string()}, "100", true);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(proxy_count(key), 3) << r.err;
  std::size_t mentions = 0;
  for (std::size_t at = 0; (at = r.err.find("Failed " + name, at)) != std::string::npos; ++at) {
    ++mentions;
  }
  EXPECT_EQ(mentions, 1u) << r.err;
  EXPECT_FALSE(fs::exists(out / layout::exploded_dir_name(name))) << r.err;
}

} // namespace
} // namespace rockart::test
