// SPDX-License-Identifier: MIT
// `rockart s3 ls` output in the aws CLI's columns ("PRE dir/" lines, then
// "date time size key" in UTC) or as JSON.
#pragma once

#include <rockart/s3/client.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace rockart::storage {

struct LsFormat {
  bool recursive = false; // keys shown whole, not relative to the listed "folder"
  bool human = false;     // sizes in KiB/MiB/GiB
  bool summarize = false; // a closing object count and total size
};

// The listing of `uri` (s3://bucket/prefix): its direct children, or with
// `recursive` every key below it. Throws NotFoundError when nothing is there.
s3::Listing list_for_ls(s3::Client& client, const std::string& uri, bool recursive);

// The aws-style text of `listing`, taken below `prefix`.
std::string
render_ls_text(const s3::Listing& listing, const std::string& prefix, const LsFormat& format);

// {bucket, prefix, prefixes, objects: [{key, size, etag, last_modified}]}.
nlohmann::json
ls_json(const s3::Listing& listing, const std::string& bucket, const std::string& prefix);

} // namespace rockart::storage
