// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/storage/s3_listing.hpp>
#include <rockart/util/format.hpp>
#include <rockart/util/time.hpp>

namespace rockart::storage {

namespace {

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

} // namespace

s3::Listing list_for_ls(s3::Client& client, const std::string& uri, bool recursive) {
  const auto [bucket, prefix] = s3::parse_s3_uri(uri);
  s3::Listing listing;
  if (recursive) {
    listing.objects = client.list(bucket, prefix);
  } else {
    listing = client.list_children(bucket, prefix);
  }
  if (listing.objects.empty() && listing.common_prefixes.empty()) {
    throw NotFoundError("nothing under " + uri,
                        "check the bucket and prefix; list the parent with `rockart s3 ls`");
  }
  return listing;
}

std::string
render_ls_text(const s3::Listing& listing, const std::string& prefix, const LsFormat& format) {
  std::string out;
  for (const std::string& common : listing.common_prefixes) {
    // aws right-aligns "PRE" under the end of the 30-column date+size field.
    out += std::string(27, ' ') + "PRE " + display_name(common, prefix, false) + "\n";
  }
  std::uint64_t total = 0;
  for (const s3::ObjectInfo& object : listing.objects) {
    out += ls_time(object.last_modified) + " " + ls_size(object.size, format.human) + " "
           + display_name(object.key, prefix, format.recursive) + "\n";
    total += object.size;
  }
  if (format.summarize) {
    out += "\nTotal Objects: " + std::to_string(listing.objects.size()) + "\n   Total Size: "
           + (format.human ? util::format_bytes(total) : std::to_string(total)) + "\n";
  }
  return out;
}

nlohmann::json
ls_json(const s3::Listing& listing, const std::string& bucket, const std::string& prefix) {
  nlohmann::json objects = nlohmann::json::array();
  for (const s3::ObjectInfo& object : listing.objects) {
    objects.push_back({{"key", object.key},
                       {"size", object.size},
                       {"etag", object.etag},
                       {"last_modified", object.last_modified}});
  }
  return {{"bucket", bucket},
          {"prefix", prefix},
          {"prefixes", listing.common_prefixes},
          {"objects", objects}};
}

} // namespace rockart::storage
