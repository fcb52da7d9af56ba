// SPDX-License-Identifier: MIT
// `rockart index`: regenerates the index.html pages of a run prefix from its
// listing, as the upload commands write them.
#include "cli.hpp"
#include "upload_common.hpp"

#include <rockart/storage/index_page.hpp>
#include <rockart/storage/transfer.hpp>
#include <rockart/util/log.hpp>

#include <unistd.h>

#include <fstream>

namespace rockart::cli {
namespace {

namespace fs = std::filesystem;

struct IndexOptions {
  UploadFlags flags;
  std::string run_id;
  std::optional<std::string> platform, bucket;
  bool intermediate = false;
};

void run_index(IndexOptions& o) {
  layout::BucketOverrides overrides;
  overrides.bucket = o.bucket;
  const auto root = upload_root(o.flags, o.run_id, platform_or_host(o.platform), overrides);
  UploadTarget target(o.flags);
  const auto listing = target.store().list(root.root(), "*");
  const std::string& prefix = root.prefix();
  const std::string title =
      prefix.substr(prefix.rfind('/') == std::string::npos ? 0 : prefix.rfind('/') + 1);
  const auto pages = storage::plan_index_pages(listing, title, o.intermediate);
  if (pages.empty()) {
    util::log_warn("no directories with files under " + target.store().describe(root.root())
                   + "; no index pages written");
    return;
  }
  const fs::path temp_dir =
      fs::temp_directory_path() / ("rockart-index-" + std::to_string(::getpid()));
  fs::create_directories(temp_dir);
  std::vector<storage::UploadItem> items;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const fs::path file = temp_dir / (std::to_string(i) + ".html");
    std::ofstream(file, std::ios::binary) << pages[i].html;
    const auto dir =
        pages[i].directory.empty() ? root.root() : root.root().child(pages[i].directory);
    items.push_back({file, dir.child("index.html")});
  }
  try {
    storage::upload_files(target.store(), items, o.flags.concurrency);
  } catch (...) {
    fs::remove_all(temp_dir);
    throw;
  }
  fs::remove_all(temp_dir);
  util::log_info("wrote " + std::to_string(pages.size()) + " index pages");
}

} // namespace

void register_index(CLI::App& app, Context& /*context*/) {
  auto o = std::make_shared<IndexOptions>();
  CLI::App* cmd = app.add_subcommand("index", "Regenerate the index.html pages of a run prefix");
  cmd->add_option("--run-id", o->run_id, "GitHub Actions run id")->required();
  cmd->add_option("--platform", o->platform, "linux or windows (default: host)");
  cmd->add_flag("--include-intermediate-dirs", o->intermediate, "Also every ancestor up to P");
  add_upload_flags(*cmd, o->flags);
  cmd->add_option("--bucket", o->bucket, "Bucket override");
  cmd->callback([o] { run_index(*o); });
}

} // namespace rockart::cli
