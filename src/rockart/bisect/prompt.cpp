// SPDX-License-Identifier: MIT
// `bisect run --prompt`: the user is the test.
#include <rockart/bisect/driver.hpp>
#include <rockart/bisect/report.hpp>
#include <rockart/util/strings.hpp>

#include <string>

namespace rockart::bisect {
namespace {

// The answer a line gives, or nullopt when it is none of them.
std::optional<ProcessStatus> parse_answer(std::string_view line) {
  const std::string word = util::to_lower(util::trim(line));
  ProcessStatus status;
  if (word == "g" || word == "good") {
    status.answer = Verdict::good;
  } else if (word == "b" || word == "bad") {
    status.answer = Verdict::bad;
  } else if (word == "s" || word == "skip") {
    status.answer = Verdict::skip;
  } else if (word == "q" || word == "quit") {
    status.quit = true;
  } else {
    return std::nullopt;
  }
  return status;
}

} // namespace

ProcessStatus PromptTestRunner::run(const TestRequest& request) {
  const std::string tree = shell_quote(request.tree.string());
  m_out << "\nbisect: test commit " << request.commit.sha << "\n";
  if (!request.commit.subject.empty()) {
    m_out << "  subject: " << request.commit.subject << "\n";
  }
  if (!request.commit.run_url.empty()) {
    m_out << "  run:     " << request.commit.run_url << "\n";
  } else if (request.commit.run_id) {
    m_out << "  run:     " << *request.commit.run_id << "\n";
  }
  m_out << "  tree:    " << request.tree.string() << "\n"
        << "  to use it in another shell (as CMD would):\n"
        << "    export ROCKART_COMMIT=" << request.commit.sha << " ROCKART_ARTIFACTS_DIR=" << tree
        << " ROCM_PATH=" << tree << " PATH=" << tree << "/bin:\"$PATH\" LD_LIBRARY_PATH=" << tree
        << "/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}\n";
  for (;;) {
    m_out << "good/bad/skip/quit [g/b/s/q]? " << std::flush;
    std::string line;
    if (!std::getline(m_in, line)) {
      m_out << "\n";
      ProcessStatus quit;
      quit.quit = true; // the end of the input
      return quit;
    }
    if (auto status = parse_answer(line)) {
      return *status;
    }
    m_out << "please answer g (good), b (bad), s (skip) or q (quit)\n";
  }
}

} // namespace rockart::bisect
