// SPDX-License-Identifier: MIT
// Ctrl-C (SIGINT) and SIGTERM during any command: one line saying what to do,
// the process's scratch (staging directories, temporary files) removed, exit
// 128 + the signal (130 for Ctrl-C). What already landed stays, verified, so
// the same command resumes. A command that runs a child (bisect's test)
// installs its own handler for that time and restores this one after.
#pragma once

namespace rockart::cli {

// Installs the handlers; call once, before any thread starts.
void handle_interrupts();

} // namespace rockart::cli
