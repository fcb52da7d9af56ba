// SPDX-License-Identifier: MIT
// The test-command process runner: posix_spawn, wait, forward SIGINT/SIGTERM.
#include <rockart/bisect/runner.hpp>
#include <rockart/error.hpp>

#include <pthread.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <system_error>

namespace rockart::bisect {
namespace {

// Shared with the signal handler, hence lock-free atomics.
std::atomic<pid_t> g_child{0};
std::atomic<bool> g_interrupted{false};
std::atomic<int> g_signal{0};         // the last SIGINT/SIGTERM received
std::atomic<bool> g_forwarded{false}; // the handler passed it on to the child

extern "C" void forward_signal(int signo, siginfo_t* info, void* /*context*/) {
  g_signal.store(signo);
  g_interrupted.store(true);
  // A terminal's ^C (si_code > 0, sent by the kernel) already reached the
  // child through the process group; forward only what was sent to us alone.
  const pid_t child = g_child.load();
  if (child > 0 && info != nullptr && info->si_code <= 0) {
    ::kill(child, signo);
    g_forwarded.store(true);
  }
}

// Installs the forwarding handler for SIGINT and SIGTERM; restores on scope exit.
class SignalForwarding {
public:
  SignalForwarding() {
    struct sigaction action {};

    action.sa_sigaction = forward_signal;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &m_old_int);
    sigaction(SIGTERM, &action, &m_old_term);
  }

  ~SignalForwarding() {
    sigaction(SIGINT, &m_old_int, nullptr);
    sigaction(SIGTERM, &m_old_term, nullptr);
  }

  SignalForwarding(const SignalForwarding&) = delete;
  SignalForwarding& operator=(const SignalForwarding&) = delete;

private:
  struct sigaction m_old_int {};

  struct sigaction m_old_term {};
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

void configure(SpawnSetup& setup, const RunOptions& options) {
  if (options.stdout_to_stderr) {
    posix_spawn_file_actions_adddup2(&setup.actions, STDERR_FILENO, STDOUT_FILENO);
  }
  if (!options.working_dir.empty()) {
    posix_spawn_file_actions_addchdir_np(&setup.actions, options.working_dir.c_str());
  }
  // The child starts with default SIGINT/SIGTERM handling and nothing blocked,
  // even if rockart itself was started with them ignored.
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&setup.attributes, &defaults);
  posix_spawnattr_setsigmask(&setup.attributes, &none);
  posix_spawnattr_setflags(&setup.attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
}

ProcessStatus wait_for(pid_t pid) {
  int raw = 0;
  while (::waitpid(pid, &raw, 0) < 0) {
    if (errno != EINTR) {
      throw LocalIoError(std::string("cannot wait for the test command: ")
                         + std::generic_category().message(errno));
    }
  }
  ProcessStatus status;
  if (WIFEXITED(raw)) {
    status.exit_code = WEXITSTATUS(raw);
  } else if (WIFSIGNALED(raw)) {
    status.signal = WTERMSIG(raw);
  }
  return status;
}

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

  SpawnSetup setup;
  configure(setup, options);
  SignalForwarding forwarding;
  g_interrupted.store(false);
  g_forwarded.store(false);
  // Hold SIGINT/SIGTERM until the child's pid is published, so a signal that
  // arrives right after the spawn is still forwarded.
  sigset_t held;
  sigemptyset(&held);
  sigaddset(&held, SIGINT);
  sigaddset(&held, SIGTERM);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &held, &previous);
  pid_t pid = 0;
  const int rc = posix_spawn(
      &pid, program.c_str(), &setup.actions, &setup.attributes, args.data(), envp.data());
  if (rc == 0) {
    g_child.store(pid);
    // Another thread may have taken a signal before the pid was published.
    if (g_interrupted.load() && !g_forwarded.load()) {
      ::kill(pid, g_signal.load());
    }
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (rc != 0) {
    throw LocalIoError("cannot start the test command '" + program
                           + "': " + std::generic_category().message(rc),
                       "check that it is an executable file");
  }
  ProcessStatus status;
  try {
    status = wait_for(pid);
  } catch (...) {
    g_child.store(0);
    throw;
  }
  g_child.store(0);
  status.interrupted = g_interrupted.exchange(false);
  return status;
}

} // namespace rockart::bisect
