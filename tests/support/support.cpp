// SPDX-License-Identifier: MIT
#include "support/support.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace rockart::test {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::random_device rd;
  const fs::path base = fs::temp_directory_path();
  for (int i = 0; i < 100; ++i) {
    fs::path candidate = base / ("rockart-test-" + std::to_string(rd()));
    if (fs::create_directory(candidate)) {
      m_path = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temp dir under " + base.string());
}

TempDir::~TempDir() {
  std::error_code ec;
  // Tests may leave read-only dirs behind; make them writable first.
  for (auto it = fs::recursive_directory_iterator(m_path, ec);
       !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) {
      fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
    }
  }
  fs::remove_all(m_path, ec);
}

std::vector<char*> c_strings(std::vector<std::string>& storage) {
  std::vector<char*> out;
  for (auto& s : storage) {
    out.push_back(s.data());
  }
  out.push_back(nullptr);
  return out;
}

bool process_running(int pid) {
  if (::kill(pid, 0) != 0) {
    return false;
  }
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  std::getline(in, stat);
  const auto close = stat.rfind(')');
  return close == std::string::npos || close + 2 >= stat.size() || stat[close + 2] != 'Z';
}

LocalServer::LocalServer(const std::vector<std::string>& argv, int timeout_s) {
  int in_pipe[2];
  int out_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0) {
    m_error = "pipe failed";
    return;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  std::vector<std::string> args = argv;
  auto cargv = c_strings(args);
  const int rc = posix_spawnp(&m_pid, cargv[0], &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(in_pipe[0]);
  close(out_pipe[1]);
  m_stdin = in_pipe[1];
  if (rc != 0) {
    m_error = "cannot start " + argv[0];
    m_pid = -1;
    close(out_pipe[0]);
    return;
  }
  // Read stdout until the PORT= line or the deadline.
  std::string buffer;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd pfd{out_pipe[0], POLLIN, 0};
    if (poll(&pfd, 1, 100) <= 0) {
      continue;
    }
    char chunk[512];
    const ssize_t n = read(out_pipe[0], chunk, sizeof chunk);
    if (n <= 0) {
      break;
    }
    buffer.append(chunk, static_cast<size_t>(n));
    const size_t pos = buffer.find("PORT=");
    const size_t eol = pos == std::string::npos ? pos : buffer.find('\n', pos);
    if (eol != std::string::npos) {
      m_port = std::atoi(buffer.c_str() + pos + 5);
      break;
    }
  }
  // Keep draining stdout in the background so the server never blocks on it.
  const int fd = out_pipe[0];
  std::thread([fd] {
    char chunk[4096];
    while (read(fd, chunk, sizeof chunk) > 0) {
    }
    close(fd);
  }).detach();
  if (m_port <= 0) {
    m_error = "no PORT= line from " + argv[0] + " within " + std::to_string(timeout_s) + " s";
  }
}

LocalServer::~LocalServer() {
  if (m_stdin >= 0) {
    close(m_stdin);
  }
  if (m_pid > 0) {
    int status = 0;
    for (int i = 0; i < 20; ++i) {
      if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
        return;
      }
      if (i == 5) {
        kill(m_pid, SIGTERM);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill(m_pid, SIGKILL);
    waitpid(m_pid, &status, 0);
  }
}

std::unique_ptr<LocalServer> start_moto() {
  return std::make_unique<LocalServer>(
      std::vector<std::string>{"python3", std::string(ROCKART_FAKES_DIR) + "/run_moto.py"}, 60);
}

std::unique_ptr<LocalServer> start_fake(const std::string& script,
                                        const std::vector<std::string>& args) {
  std::vector<std::string> argv{"python3", std::string(ROCKART_FAKES_DIR) + "/" + script};
  argv.insert(argv.end(), args.begin(), args.end());
  return std::make_unique<LocalServer>(argv);
}

bool fakes_required() {
  const char* value = std::getenv("ROCKART_REQUIRE_FAKES");
  return value != nullptr && std::string(value) == "1";
}

namespace {

// VmHWM of a running process in KiB; 0 when it cannot be read (it just exited).
std::uint64_t peak_rss_kib_of(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) {
      return std::stoull(line.substr(6));
    }
  }
  return 0;
}

} // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const RunOptions& options) {
  TempDir io;
  const fs::path out_path = io.path() / "out";
  const fs::path err_path = io.path() / "err";
  const fs::path in_path = io.path() / "in";
  write_file(in_path, options.stdin_data);

  std::vector<std::string> env_storage;
  if (options.inherit_env) {
    for (char** e = environ; *e != nullptr; ++e) {
      env_storage.emplace_back(*e);
    }
  } else {
    for (const char* name : {"PATH", "HOME", "TMPDIR", "LANG", "PYENV_ROOT"}) {
      if (const char* v = std::getenv(name)) {
        env_storage.push_back(std::string(name) + "=" + v);
      }
    }
  }
  for (const auto& [key, value] : options.env) {
    env_storage.push_back(key + "=" + value);
  }
  auto cenv = c_strings(env_storage);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT, 0600);
  int pty_master = -1;
  int pty_slave = -1;
  if (options.terminal_columns) {
    winsize size{};
    size.ws_col = *options.terminal_columns;
    size.ws_row = 24;
    if (::openpty(&pty_master, &pty_slave, nullptr, nullptr, &size) != 0) {
      throw std::runtime_error("cannot open a pseudo-terminal");
    }
    posix_spawn_file_actions_adddup2(&actions, pty_slave, 2);
    posix_spawn_file_actions_addclose(&actions, pty_master);
  } else {
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT, 0600);
  }
  if (options.cwd) {
    posix_spawn_file_actions_addchdir_np(&actions, options.cwd->c_str());
  }
  std::vector<std::string> args = argv;
  auto cargv = c_strings(args);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, cargv[0], &actions, nullptr, cargv.data(), cenv.data());
  posix_spawn_file_actions_destroy(&actions);
  if (pty_slave >= 0) {
    ::close(pty_slave); // the child has it; EIO on the master once it exits
  }
  if (rc != 0) {
    if (pty_master >= 0) {
      ::close(pty_master);
    }
    throw std::runtime_error("cannot start " + argv[0]);
  }
  std::string terminal;
  std::thread terminal_reader;
  if (pty_master >= 0) {
    terminal_reader = std::thread([&terminal, pty_master] {
      char buffer[4096];
      ssize_t n = 0;
      while ((n = ::read(pty_master, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR)) {
        terminal.append(buffer, static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
      }
    });
  }
  if (options.while_running) {
    options.while_running(pid);
  }
  int status = 0;
  ProcessResult result;
  if (options.sample_peak_rss) {
    while (waitpid(pid, &status, WNOHANG) == 0) {
      result.peak_rss_kib = std::max(result.peak_rss_kib, peak_rss_kib_of(pid));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  } else {
    waitpid(pid, &status, 0);
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(out_path);
  if (terminal_reader.joinable()) {
    terminal_reader.join();
    ::close(pty_master);
    result.err = std::move(terminal);
  } else {
    result.err = read_file(err_path);
  }
  return result;
}

ProcessResult run_rockart(const std::vector<std::string>& args, const RunOptions& options) {
  std::vector<std::string> argv{ROCKART_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, options);
}

int dead_pid() {
  const pid_t child = ::fork();
  if (child == 0) {
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + path.string());
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const fs::path& path, std::string_view data) {
  if (path.has_parent_path()) {
    fs::create_directories(path.parent_path());
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  if (!out) {
    throw std::runtime_error("cannot write " + path.string());
  }
}

} // namespace rockart::test
