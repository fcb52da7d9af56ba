// SPDX-License-Identifier: MIT
// Store over s3::Client. Retries (3 attempts, 1 s/2 s backoff, transient
// errors only) are the client's: every request it sends goes through its
// http::RetryPolicy, so this layer adds no second loop.
#include "stores.hpp"

#include <rockart/s3/client.hpp>
#include <rockart/storage/content_type.hpp>
#include <rockart/storage/glob.hpp>
#include <rockart/util/time.hpp>

#include <algorithm>

namespace rockart::storage::detail {
namespace {

// S3 lists `2026-03-27T12:00:00.000Z`; the Store contract is whole seconds.
std::string normalized_time(const std::string& text) {
  const auto parsed = util::parse_iso8601(text);
  return parsed ? util::format_iso8601(*parsed) : text;
}

class S3Store final : public Store {
public:
  explicit S3Store(s3::Client& client) : m_client(client) {}

  void upload_file(const std::filesystem::path& src, const layout::StorageLocation& dest) override {
    m_client.upload(
        src, dest.bucket(), dest.relative_path(), content_type_for(dest.relative_path()));
  }

  std::vector<StoredObject> list(const layout::StorageLocation& dir,
                                 std::string_view pattern) override {
    const std::string prefix = dir.prefix();
    std::vector<StoredObject> out;
    for (const auto& object : m_client.list(dir.bucket(), prefix)) {
      // Skip the prefix itself and directory markers (keys ending in '/').
      if (object.key.size() <= prefix.size() || object.key.back() == '/') {
        continue;
      }
      std::string name = object.key.substr(prefix.size());
      if (fnmatch_match(pattern, name)) {
        out.push_back({std::move(name), object.size, normalized_time(object.last_modified)});
      }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
  }

  void copy(const layout::StorageLocation& src, const layout::StorageLocation& dest) override {
    m_client.copy(src.bucket(), src.relative_path(), dest.bucket(), dest.relative_path());
  }

  bool exists(const layout::StorageLocation& location) override {
    return m_client.head(location.bucket(), location.relative_path()).has_value();
  }

  std::string describe(const layout::StorageLocation& location) const override {
    return location.s3_uri();
  }

private:
  s3::Client& m_client;
};

} // namespace

std::unique_ptr<Store> make_s3_store(s3::Client& client) {
  return std::make_unique<S3Store>(client);
}

} // namespace rockart::storage::detail
