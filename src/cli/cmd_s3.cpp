// SPDX-License-Identifier: MIT
// `rockart s3 ls|cp|rm|mb`: a small `aws s3` for scripts and debugging, on
// rockart's own S3 client. Output follows the aws CLI where it has one (ls
// columns, "upload: a to s3://b/k" lines), except that per-file lines are
// logs on stderr, so stdout carries only results.
#include "cli.hpp"
#include "s3_options.hpp"
#include "s3_progress.hpp"

#include <rockart/error.hpp>
#include <rockart/storage/s3_listing.hpp>
#include <rockart/storage/s3_transfers.hpp>
#include <rockart/util/log.hpp>

#include <memory>
#include <string>
#include <vector>

namespace rockart::cli {

namespace {

struct LsOptions {
  S3Options s3;
  std::string uri;
  bool recursive = false;
  bool json = false;
  bool human = false;
  bool summarize = false;
};

struct CpOptions {
  S3Options s3;
  std::string src, dst;
  bool recursive = false;
  int concurrency = 8;
  std::string content_type;
  std::uint64_t part_size = 0;           // 0 = the client's default
  std::uint64_t multipart_threshold = 0; // 0 = the client's default
};

struct RmOptions {
  S3Options s3;
  std::string uri;
  bool recursive = false;
  int concurrency = 8;
};

struct MbOptions {
  S3Options s3;
  std::string uri;
};

void run_ls(const LsOptions& o) {
  const auto [bucket, prefix] = s3::parse_s3_uri(o.uri);
  S3Session session(o.s3);
  const auto listing = storage::list_for_ls(session.client(), o.uri, o.recursive);
  print_out(o.json ? json_text(storage::ls_json(listing, bucket, prefix))
                   : storage::render_ls_text(listing, prefix, {o.recursive, o.human, o.summarize}));
}

void run_cp(const CpOptions& o, util::ProgressStyle style) {
  const storage::Location src = storage::parse_location(o.src);
  const storage::Location dst = storage::parse_location(o.dst);
  if (!o.recursive) {
    storage::plan_single(src, dst); // usage errors before any network setup
  }
  s3::ClientOptions client_options;
  client_options.parallel_parts = o.concurrency;
  if (o.part_size > 0) {
    client_options.part_size = o.part_size;
  }
  if (o.multipart_threshold > 0) {
    client_options.multipart_threshold = o.multipart_threshold;
  }
  S3Session session(o.s3, client_options);
  std::vector<storage::Transfer> transfers;
  if (o.recursive) {
    transfers = storage::plan_recursive(session.client(), src, dst);
  } else {
    transfers.push_back(storage::plan_single(src, dst));
  }
  std::uint64_t total = 0;
  for (const auto& t : transfers) {
    total += t.size;
  }
  TransferProgress progress(transfers.size(), total, style);
  storage::run_transfers(session.client(), transfers, {o.concurrency, o.content_type}, &progress);
}

void run_rm(const RmOptions& o) {
  const std::string bucket = s3::parse_s3_uri(o.uri).first;
  S3Session session(o.s3);
  const auto keys = storage::keys_to_delete(session.client(), o.uri, o.recursive);
  storage::delete_keys(session.client(), bucket, keys, o.concurrency);
}

void run_mb(const MbOptions& o) {
  const auto [bucket, key] = s3::parse_s3_uri(o.uri);
  if (!key.empty()) {
    throw UsageError("cannot create bucket from '" + o.uri + "': it names a key",
                     "write it as s3://bucket");
  }
  S3Session session(o.s3);
  session.client().create_bucket(bucket);
  util::log_info("make_bucket: " + bucket);
}

void add_concurrency(CLI::App& cmd, int& value, const char* what) {
  cmd.add_option("--concurrency", value, std::string("Parallel ") + what + " (default 8)")
      ->check(CLI::Range(1, 64));
}

void register_ls(CLI::App& s3, Context& context) {
  auto o = std::make_shared<LsOptions>();
  auto* cmd = s3.add_subcommand(
      "ls", "List the direct children of s3://bucket/prefix (PRE lines for sub-prefixes)");
  cmd->add_option("uri", o->uri, "s3://bucket[/prefix]")->required();
  cmd->add_flag("--recursive", o->recursive, "List every key under the prefix");
  cmd->add_flag("--json",
                o->json,
                "Print {bucket, prefix, prefixes, objects: [{key, size, etag, last_modified}]}");
  cmd->add_flag("--human-readable", o->human, "Sizes in KiB/MiB/GiB");
  cmd->add_flag("--summarize", o->summarize, "Append the object count and total size");
  add_s3_options(*cmd, o->s3);
  cmd->callback([o, &context] {
    context.json = o->json;
    run_ls(*o);
    context.exit_code = 0;
  });
}

void register_cp(CLI::App& s3, Context& context) {
  auto o = std::make_shared<CpOptions>();
  auto* cmd = s3.add_subcommand(
      "cp",
      "Copy SRC to DST, each a local path or s3://bucket/key: upload, download (atomic; '-' is "
      "stdout) or server-side copy. A DST ending in '/' or naming a directory keeps the file name");
  cmd->add_option("src", o->src, "Source: local path or s3://bucket/key")->required();
  cmd->add_option("dst", o->dst, "Destination: local path or s3://bucket/key")->required();
  cmd->add_flag("--recursive", o->recursive, "Copy a directory tree or every key under a prefix");
  add_concurrency(*cmd, o->concurrency, "transfers, and parts of one multipart upload");
  cmd->add_option("--part-size", o->part_size, "Multipart part size, e.g. 16MiB (default; >= 5MiB)")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(std::uint64_t{5} << 20, std::uint64_t{5} << 30));
  cmd->add_option("--multipart-threshold",
                  o->multipart_threshold,
                  "Upload files of at least this size in parts (default 64MiB)")
      ->transform(CLI::AsSizeValue(false));
  cmd->add_option("--content-type",
                  o->content_type,
                  "Content-Type of uploads (default application/octet-stream)");
  add_s3_options(*cmd, o->s3);
  cmd->callback([o, &context] {
    run_cp(*o, progress_style(context));
    context.exit_code = 0;
  });
}

void register_rm(CLI::App& s3, Context& context) {
  auto o = std::make_shared<RmOptions>();
  auto* cmd = s3.add_subcommand("rm", "Delete s3://bucket/key (exit 1 when it does not exist)");
  cmd->add_option("uri", o->uri, "s3://bucket/key")->required();
  cmd->add_flag("--recursive", o->recursive, "Delete every key under the prefix");
  add_concurrency(*cmd, o->concurrency, "deletes");
  add_s3_options(*cmd, o->s3);
  cmd->callback([o, &context] {
    run_rm(*o);
    context.exit_code = 0;
  });
}

void register_mb(CLI::App& s3, Context& context) {
  auto o = std::make_shared<MbOptions>();
  auto* cmd = s3.add_subcommand("mb", "Create the bucket s3://bucket in the configured region");
  cmd->add_option("uri", o->uri, "s3://bucket")->required();
  add_s3_options(*cmd, o->s3);
  cmd->callback([o, &context] {
    run_mb(*o);
    context.exit_code = 0;
  });
}

} // namespace

void register_s3(CLI::App& app, Context& context) {
  auto* s3 = app.add_subcommand("s3", "List, copy and delete S3 objects (like `aws s3`)");
  s3->require_subcommand(1);
  register_ls(*s3, context);
  register_cp(*s3, context);
  register_rm(*s3, context);
  register_mb(*s3, context);
}

} // namespace rockart::cli
