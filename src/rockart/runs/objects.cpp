// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/runs/objects.hpp>

namespace rockart::runs {

std::string Run::uri() const {
  return "s3://" + bucket + "/" + prefix.substr(0, prefix.empty() ? 0 : prefix.size() - 1);
}

std::vector<RunFile> S3RunObjects::list(std::string_view bucket, std::string_view prefix) {
  std::vector<RunFile> files;
  for (const auto& object : m_client.list_children(bucket, prefix).objects) {
    if (object.key.size() > prefix.size() && object.key.starts_with(prefix)) {
      files.push_back({object.key.substr(prefix.size()), object.size, object.etag});
    }
  }
  return files;
}

SmallObject
S3RunObjects::read(std::string_view bucket, std::string_view key, std::size_t max_bytes) {
  SmallObject object;
  const auto info = m_client.get(bucket, key, [&](std::string_view chunk) {
    if (object.body.size() + chunk.size() > max_bytes) {
      throw IntegrityError("s3://" + std::string(bucket) + "/" + std::string(key)
                           + " is larger than " + std::to_string(max_bytes) + " bytes");
    }
    object.body.append(chunk);
  });
  object.etag = info.etag;
  return object;
}

} // namespace rockart::runs
