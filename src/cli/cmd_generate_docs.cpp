// SPDX-License-Identifier: MIT
// `rockart __generate-docs --man DIR --completions DIR`: the build step that
// writes the man pages and shell completions from the command tree
// (CMakeLists.txt runs the just-built binary). It is in an empty group, so the
// help, the man pages and the completions all leave it out.
#include "cli.hpp"
#include "docs.hpp"

#include <rockart/error.hpp>
#include <rockart/util/file.hpp>
#include <rockart/util/version.hpp>

#include <filesystem>
#include <memory>

namespace rockart::cli {

namespace {

struct GenerateDocsOptions {
  std::string man_dir;
  std::string completions_dir;
};

void write_all(const std::filesystem::path& dir, const std::vector<docs::GeneratedFile>& files) {
  std::filesystem::create_directories(dir);
  for (const auto& file : files) {
    util::write_file_atomic(dir / file.name, file.text);
  }
}

} // namespace

void register_generate_docs(CLI::App& app) {
  auto options = std::make_shared<GenerateDocsOptions>();
  CLI::App* sub = app.add_subcommand(
      "__generate-docs", "Write the man pages and shell completions of rockart (a build step)");
  sub->group("");
  sub->add_option("--man", options->man_dir, "Directory for the section-1 man pages");
  sub->add_option("--completions",
                  options->completions_dir,
                  "Directory for rockart (bash), _rockart (zsh) and rockart.fish");
  sub->callback([&app, options] {
    if (options->man_dir.empty() && options->completions_dir.empty()) {
      throw UsageError("__generate-docs needs --man DIR, --completions DIR or both");
    }
    const docs::CommandDoc root = docs::describe(app);
    if (!options->man_dir.empty()) {
      write_all(options->man_dir, docs::man_pages(root, util::version()));
    }
    if (!options->completions_dir.empty()) {
      write_all(options->completions_dir,
                {{"rockart", docs::bash_completion(root)},
                 {"_rockart", docs::zsh_completion(root)},
                 {"rockart.fish", docs::fish_completion(root)}});
    }
  });
}

} // namespace rockart::cli
