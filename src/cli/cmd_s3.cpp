// SPDX-License-Identifier: MIT
// `rockart s3 ls|cp|rm|mb`: a small `aws s3` for scripts and debugging, on
// rockart's own S3 client. Output follows the aws CLI where it has one (ls
// columns, "upload: a to s3://b/k" lines), except that per-file lines are
// logs on stderr, so stdout carries only results.
#include "cli.hpp"
#include "s3_options.hpp"
#include "s3_progress.hpp"
#include "s3_transfer.hpp"

#include <rockart/error.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/time.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
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

// S3's "2024-05-01T10:00:00.000Z" as aws prints it: "2024-05-01 10:00:00" (UTC here).
std::string ls_time(const std::string& iso) {
  const auto time = util::parse_iso8601(iso);
  if (!time) {
    return iso;
  }
  std::string text = util::format_iso8601(*time); // YYYY-MM-DDTHH:MM:SSZ
  text[10] = ' ';
  text.pop_back();
  return text;
}

std::string ls_size(std::uint64_t size, bool human) {
  const std::string text = human ? util::format_bytes(size) : std::to_string(size);
  return text.size() >= 10 ? text : std::string(10 - text.size(), ' ') + text;
}

// The part of `key` shown by a non-recursive ls: relative to the listed "folder".
std::string display_name(const std::string& key, const std::string& prefix, bool recursive) {
  if (recursive) {
    return key;
  }
  const auto slash = prefix.rfind('/');
  return slash == std::string::npos ? key : key.substr(slash + 1);
}

std::string
render_ls_text(const s3::Listing& listing, const std::string& prefix, const LsOptions& o) {
  std::string out;
  for (const std::string& common : listing.common_prefixes) {
    // aws right-aligns "PRE" under the end of the 30-column date+size field.
    out += std::string(27, ' ') + "PRE " + display_name(common, prefix, false) + "\n";
  }
  std::uint64_t total = 0;
  for (const s3::ObjectInfo& object : listing.objects) {
    out += ls_time(object.last_modified) + " " + ls_size(object.size, o.human) + " "
           + display_name(object.key, prefix, o.recursive) + "\n";
    total += object.size;
  }
  if (o.summarize) {
    out += "\nTotal Objects: " + std::to_string(listing.objects.size()) + "\n   Total Size: "
           + (o.human ? util::format_bytes(total) : std::to_string(total)) + "\n";
  }
  return out;
}

std::string
render_ls_json(const s3::Listing& listing, const std::string& bucket, const std::string& prefix) {
  nlohmann::json objects = nlohmann::json::array();
  for (const s3::ObjectInfo& object : listing.objects) {
    objects.push_back({{"key", object.key},
                       {"size", object.size},
                       {"etag", object.etag},
                       {"last_modified", object.last_modified}});
  }
  const nlohmann::json doc = {{"bucket", bucket},
                              {"prefix", prefix},
                              {"prefixes", listing.common_prefixes},
                              {"objects", objects}};
  return doc.dump(2) + "\n";
}

void run_ls(const LsOptions& o) {
  const auto [bucket, prefix] = s3::parse_s3_uri(o.uri);
  S3Session session(o.s3);
  s3::Listing listing;
  if (o.recursive) {
    listing.objects = session.client().list(bucket, prefix);
  } else {
    listing = session.client().list_children(bucket, prefix);
  }
  if (listing.objects.empty() && listing.common_prefixes.empty()) {
    throw NotFoundError("nothing under " + o.uri,
                        "check the bucket and prefix; list the parent with `rockart s3 ls`");
  }
  print_out(o.json ? render_ls_json(listing, bucket, prefix) : render_ls_text(listing, prefix, o));
}

void run_cp(const CpOptions& o) {
  const Location src = parse_location(o.src);
  const Location dst = parse_location(o.dst);
  if (!o.recursive) {
    plan_single(src, dst); // usage errors before any network setup
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
  std::vector<Transfer> transfers;
  if (o.recursive) {
    transfers = plan_recursive(session.client(), src, dst);
  } else {
    transfers.push_back(plan_single(src, dst));
  }
  TransferOptions options;
  options.concurrency = o.concurrency;
  options.content_type = o.content_type;
  run_transfers(session.client(), transfers, options);
}

void run_rm(const RmOptions& o) {
  // Named references, not a structured binding: the lambda below captures `bucket`, which
  // clang 14 (clang-tidy) cannot compile for a binding.
  const auto parsed = s3::parse_s3_uri(o.uri);
  const std::string& bucket = parsed.first;
  const std::string& key = parsed.second;
  if (!o.recursive && (key.empty() || key.back() == '/')) {
    throw UsageError("'" + o.uri + "' names a prefix, not an object",
                     "add --recursive to delete every object under it");
  }
  S3Session session(o.s3);
  s3::Client& client = session.client();
  std::vector<std::string> keys;
  if (o.recursive) {
    const std::string prefix = key.empty() || key.back() == '/' ? key : key + "/";
    for (const s3::ObjectInfo& object : client.list(bucket, prefix)) {
      keys.push_back(object.key);
    }
  } else if (client.head(bucket, key)) {
    keys.push_back(key);
  }
  if (keys.empty()) {
    throw NotFoundError("cannot delete " + o.uri + ": "
                            + (o.recursive ? "no objects under it" : "no such key"),
                        "check it with `rockart s3 ls`");
  }
  run_jobs(keys.size(), o.concurrency, [&](std::size_t i) {
    client.remove(bucket, keys[i]);
    util::log_info("delete: s3://" + bucket + "/" + keys[i]);
  });
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
    run_cp(*o);
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
