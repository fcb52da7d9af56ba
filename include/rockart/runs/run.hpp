// SPDX-License-Identifier: MIT
// A workflow run resolved to where its outputs are, and the files found there.
#pragma once

#include <cstdint>
#include <string>

namespace rockart::runs {

// One object directly below a run's root.
struct RunFile {
  std::string name; // file name, without the run prefix
  std::uint64_t size = 0;
  std::string etag; // S3's, without quotes; "" when unknown

  bool operator==(const RunFile&) const = default;
};

// A run of one repository on one platform and the S3 root of its outputs.
struct Run {
  std::string repo; // owner/repo whose run it is
  std::uint64_t id = 0;
  std::string platform; // linux or windows
  std::string bucket;
  std::string external_repo; // "" or "{owner}-{repo}/" (runs of other repositories and forks)
  std::string prefix;        // "{external_repo}{id}-{platform}/"
  bool completed = false;    // finished: its facts and its listing can no longer change
  std::string html_url;      // "" when GitHub was not asked
  std::string head_sha;      // "" when GitHub was not asked

  // "s3://{bucket}/{prefix}" without the trailing '/'.
  std::string uri() const;
};

} // namespace rockart::runs
