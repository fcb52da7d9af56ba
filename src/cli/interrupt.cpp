// SPDX-License-Identifier: MIT
#include "interrupt.hpp"

#include <rockart/util/scratch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <string_view>
#include <thread>

namespace rockart::cli {

namespace {

// The handler only writes the signal number here (async-signal-safe); the
// watcher thread reads it and does the work a handler may not.
int g_pipe[2] = {-1, -1};

extern "C" void on_interrupt(int signo) {
  const int saved = errno;
  const auto byte = static_cast<unsigned char>(signo);
  (void)!::write(g_pipe[1], &byte, 1);
  // A second Ctrl-C while the first is handled ends the process at once.
  (void)std::signal(signo, SIG_DFL);
  errno = saved;
}

void write_stderr(std::string_view text) {
  (void)!::write(STDERR_FILENO, text.data(), text.size());
}

[[noreturn]] void watch() {
  unsigned char signo = 0;
  while (::read(g_pipe[0], &signo, 1) != 1) {
    if (errno != EINTR) {
      ::pause(); // the pipe is gone: leave signals to their defaults' fate
    }
  }
  if (::isatty(STDERR_FILENO) == 1) {
    write_stderr("\r\033[K"); // off the progress line
  }
  write_stderr("rockart: interrupted; re-run the same command to resume\n");
  util::remove_registered_scratch();
  ::_exit(128 + signo);
}

} // namespace

void handle_interrupts() {
  if (::pipe2(g_pipe, O_CLOEXEC) != 0) {
    return; // without the pipe the default action (exit without cleanup) stays
  }
  std::thread(watch).detach();

  struct sigaction action {};

  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

} // namespace rockart::cli
