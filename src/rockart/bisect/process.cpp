// SPDX-License-Identifier: MIT
// The test-command process runner: posix_spawn into a process group of its
// own, wait (with a timeout that kills the whole group), copy the output
// when it is matched, forward SIGINT/SIGTERM/SIGHUP to the group.
#include <rockart/bisect/runner.hpp>
#include <rockart/error.hpp>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace rockart::bisect {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::array<int, 3> k_forwarded = {SIGINT, SIGTERM, SIGHUP};
constexpr int k_poll_ms = 20; // how often a supervised child is checked

// Shared with the signal handler, hence lock-free atomics.
std::atomic<pid_t> g_child{0}; // also the id of its process group
std::atomic<bool> g_interrupted{false};
std::atomic<int> g_signal{0};         // the last forwarded signal received
std::atomic<bool> g_forwarded{false}; // the handler passed it on to the child

extern "C" void forward_signal(int signo) {
  const int saved = errno;
  g_signal.store(signo);
  g_interrupted.store(true);
  // CMD is not in the terminal's foreground process group, so even a
  // terminal's ^C reaches only rockart: pass every one on to CMD's group.
  const pid_t child = g_child.load();
  if (child > 0) {
    ::kill(-child, signo);
    g_forwarded.store(true);
  }
  errno = saved;
}

// Installs the forwarding handler; restores the previous ones on scope exit.
class SignalForwarding {
public:
  SignalForwarding() {
    struct sigaction action {};

    action.sa_handler = forward_signal;
    sigemptyset(&action.sa_mask);
    for (std::size_t i = 0; i < k_forwarded.size(); ++i) {
      sigaction(k_forwarded[i], &action, &m_old[i]);
    }
  }

  ~SignalForwarding() {
    for (std::size_t i = 0; i < k_forwarded.size(); ++i) {
      sigaction(k_forwarded[i], &m_old[i], nullptr);
    }
  }

  SignalForwarding(const SignalForwarding&) = delete;
  SignalForwarding& operator=(const SignalForwarding&) = delete;

private:
  std::array<struct sigaction, k_forwarded.size()> m_old{};
};

// Owns the posix_spawn attribute objects.
struct SpawnSetup {
  posix_spawn_file_actions_t actions{};
  posix_spawnattr_t attributes{};

  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
  }

  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }

  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

// A pipe whose ends close on exec (the child gets the write end by dup2).
class OutputPipe {
public:
  OutputPipe() {
    if (::pipe2(m_fds.data(), O_CLOEXEC) != 0) {
      throw LocalIoError(std::string("cannot create a pipe for the test command's output: ")
                         + std::generic_category().message(errno));
    }
    ::fcntl(m_fds[0], F_SETFL, ::fcntl(m_fds[0], F_GETFL) | O_NONBLOCK);
  }

  ~OutputPipe() {
    close_read();
    close_write();
  }

  OutputPipe(const OutputPipe&) = delete;
  OutputPipe& operator=(const OutputPipe&) = delete;

  int read_end() const { return m_fds[0]; }

  int write_end() const { return m_fds[1]; }

  void close_read() { close(m_fds[0]); }

  void close_write() { close(m_fds[1]); }

private:
  static void close(int& fd) {
    if (fd >= 0) {
      ::close(fd);
      fd = -1;
    }
  }

  std::array<int, 2> m_fds{-1, -1};
};

void configure(SpawnSetup& setup, const RunOptions& options, const OutputPipe* output) {
  if (::isatty(STDIN_FILENO) == 1) {
    posix_spawn_file_actions_addopen(&setup.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  }
  if (output != nullptr) {
    posix_spawn_file_actions_adddup2(&setup.actions, output->write_end(), STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&setup.actions, output->write_end(), STDERR_FILENO);
  } else if (options.stdout_to_stderr) {
    posix_spawn_file_actions_adddup2(&setup.actions, STDERR_FILENO, STDOUT_FILENO);
  }
  if (!options.working_dir.empty()) {
    posix_spawn_file_actions_addchdir_np(&setup.actions, options.working_dir.c_str());
  }
  // The child starts with default handling of the forwarded signals and
  // nothing blocked, even if rockart itself was started with them ignored,
  // in a process group of its own (so that a timeout can kill all of it).
  sigset_t defaults;
  sigemptyset(&defaults);
  for (const int signo : k_forwarded) {
    sigaddset(&defaults, signo);
  }
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&setup.attributes, &defaults);
  posix_spawnattr_setsigmask(&setup.attributes, &none);
  posix_spawnattr_setpgroup(&setup.attributes, 0);
  posix_spawnattr_setflags(&setup.attributes,
                           POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
}

[[noreturn]] void throw_wait_error() {
  throw LocalIoError(std::string("cannot wait for the test command: ")
                     + std::generic_category().message(errno));
}

ProcessStatus status_of(int raw) {
  ProcessStatus status;
  if (WIFEXITED(raw)) {
    status.exit_code = WEXITSTATUS(raw);
  } else if (WIFSIGNALED(raw)) {
    status.signal = WTERMSIG(raw);
  }
  return status;
}

ProcessStatus wait_for(pid_t pid) {
  int raw = 0;
  while (::waitpid(pid, &raw, 0) < 0) {
    if (errno != EINTR) {
      throw_wait_error();
    }
  }
  return status_of(raw);
}

// Writes all of `data` to rockart's stderr (errors are ignored: the output
// is a courtesy, the verdict does not depend on it).
void copy_to_stderr(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(STDERR_FILENO, data.data(), data.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

// True while a process of group `group` is still running. Zombies do not
// count: one whose parent is gone waits for init, which may never reap it.
bool group_alive(pid_t group) {
  if (::kill(-group, 0) != 0 && errno != EPERM) {
    return false;
  }
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    // /proc/PID/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces.
    std::ifstream in(entry.path() / "stat");
    std::string stat;
    std::getline(in, stat);
    const auto close = stat.rfind(')');
    if (close == std::string::npos) {
      continue;
    }
    std::istringstream fields(stat.substr(close + 1));
    char state = 0;
    long ppid = 0;
    long pgrp = 0;
    if (fields >> state >> ppid >> pgrp && pgrp == group && state != 'Z' && state != 'X') {
      return true;
    }
  }
  return ec.value() != 0; // without /proc, assume the worst until the SIGKILL
}

// Waits for `pid` with a timeout and/or its output on a pipe.
class Supervisor {
public:
  Supervisor(pid_t pid, OutputPipe* output, const RunOptions& options)
      : m_pid(pid), m_output(output), m_options(options), m_started(SteadyClock::now()) {}

  ProcessStatus run() {
    for (;;) {
      if (!m_raw) {
        reap(WNOHANG);
      }
      // After a timeout the rest of the group is waited for too, until the SIGKILL.
      if (m_raw && (!m_timed_out || m_killed || !group_alive(m_pid))) {
        break;
      }
      const auto now = SteadyClock::now();
      if (m_options.timeout && !m_timed_out && now - m_started >= *m_options.timeout) {
        m_timed_out = true;
        ::kill(-m_pid, SIGTERM);
        m_kill_at = now + m_options.kill_grace;
      }
      if (m_kill_at && now >= *m_kill_at) {
        ::kill(-m_pid, SIGKILL);
        m_kill_at.reset();
        m_killed = true;
        if (!m_raw) {
          reap(0); // dies now
        }
        continue;
      }
      pause_ms(next_wait_ms(now));
    }
    drain(); // what CMD wrote just before it ended
    if (m_output != nullptr) {
      m_output->close_read(); // a background leftover writing on gets EPIPE
    }
    ProcessStatus status = status_of(*m_raw);
    if (m_timed_out) {
      status.timed_out = m_options.timeout;
    }
    return status;
  }

private:
  void reap(int flags) {
    int raw = 0;
    for (;;) {
      const pid_t got = ::waitpid(m_pid, &raw, flags);
      if (got == m_pid) {
        m_raw = raw;
        return;
      }
      if (got == 0) {
        return;
      }
      if (errno != EINTR) {
        throw_wait_error();
      }
    }
  }

  int next_wait_ms(SteadyClock::time_point now) const {
    auto until = now + std::chrono::milliseconds(k_poll_ms);
    if (m_options.timeout && !m_timed_out) {
      until = std::min(until, m_started + *m_options.timeout);
    }
    if (m_kill_at) {
      until = std::min(until, *m_kill_at);
    }
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(until - now).count();
    return static_cast<int>(std::max<std::int64_t>(0, ms));
  }

  // Sleeps up to `ms`, copying output as it arrives.
  void pause_ms(int ms) {
    if (m_output == nullptr || m_eof) {
      ::poll(nullptr, 0, ms);
      return;
    }
    pollfd fd{m_output->read_end(), POLLIN, 0};
    if (::poll(&fd, 1, ms) > 0) {
      drain();
    }
  }

  // Copies what the pipe holds now (at most k_drain_reads reads, so that a
  // test that writes without pause is still timed); notes the end of the output.
  void drain() {
    if (m_output == nullptr || m_eof) {
      return;
    }
    std::array<char, 65536> buffer{};
    for (int reads = 0; reads < k_drain_reads; ++reads) {
      const ssize_t n = ::read(m_output->read_end(), buffer.data(), buffer.size());
      if (n > 0) {
        const std::string_view chunk(buffer.data(), static_cast<std::size_t>(n));
        copy_to_stderr(chunk);
        m_options.on_output(chunk);
        continue;
      }
      if (n < 0 && errno == EINTR) {
        continue;
      }
      m_eof = n == 0; // else EAGAIN: nothing more for now
      return;
    }
  }

  static constexpr int k_drain_reads = 16;

  pid_t m_pid;
  OutputPipe* m_output;
  const RunOptions& m_options;
  SteadyClock::time_point m_started;
  std::optional<int> m_raw; // the wait status once reaped
  bool m_timed_out = false;
  bool m_killed = false;
  bool m_eof = false;
  std::optional<SteadyClock::time_point> m_kill_at; // SIGKILL due then
};

} // namespace

ProcessStatus run_test_command(const std::vector<std::string>& argv,
                               const Environment& env,
                               const RunOptions& options) {
  if (argv.empty()) {
    throw UsageError("the test command is empty", "give it after `--`: rockart bisect run -- CMD");
  }
  const auto path_it = env.find("PATH");
  const std::string program =
      resolve_command(argv.front(), path_it == env.end() ? "" : path_it->second).string();
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& arg : argv) {
    args.push_back(const_cast<char*>(arg.c_str()));
  }
  args.push_back(nullptr);
  std::vector<std::string> entries;
  entries.reserve(env.size());
  for (const auto& [name, value] : env) {
    entries.push_back(name + "=" + value);
  }
  std::vector<char*> envp;
  envp.reserve(entries.size() + 1);
  for (auto& entry : entries) {
    envp.push_back(entry.data());
  }
  envp.push_back(nullptr);

  std::optional<OutputPipe> output;
  if (options.on_output) {
    output.emplace();
  }
  SpawnSetup setup;
  configure(setup, options, output ? &*output : nullptr);
  SignalForwarding forwarding;
  g_interrupted.store(false);
  g_forwarded.store(false);
  // Hold the forwarded signals until the child's pid is published, so a
  // signal that arrives right after the spawn is still forwarded.
  sigset_t held;
  sigemptyset(&held);
  for (const int signo : k_forwarded) {
    sigaddset(&held, signo);
  }
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &held, &previous);
  pid_t pid = 0;
  const int rc = posix_spawn(
      &pid, program.c_str(), &setup.actions, &setup.attributes, args.data(), envp.data());
  if (rc == 0) {
    g_child.store(pid);
    // Another thread may have taken a signal before the pid was published.
    if (g_interrupted.load() && !g_forwarded.load()) {
      ::kill(-pid, g_signal.load());
    }
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (rc != 0) {
    throw LocalIoError("cannot start the test command '" + program
                           + "': " + std::generic_category().message(rc),
                       "check that it is an executable file");
  }
  if (output) {
    output->close_write(); // the child has it: EOF once CMD and what it started are done
  }
  ProcessStatus status;
  try {
    if (options.timeout || output) {
      status = Supervisor(pid, output ? &*output : nullptr, options).run();
    } else {
      status = wait_for(pid);
    }
  } catch (...) {
    g_child.store(0);
    throw;
  }
  g_child.store(0);
  status.interrupted = g_interrupted.exchange(false);
  return status;
}

} // namespace rockart::bisect
