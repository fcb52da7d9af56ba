// SPDX-License-Identifier: MIT
#include <rockart/storage/index_page.hpp>
#include <rockart/util/strings.hpp>
#include <rockart/util/time.hpp>
#include <rockart/util/uri.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <map>
#include <set>

namespace rockart::storage {
namespace {

constexpr std::string_view k_dash = "&mdash;";

std::string parent_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

std::string last_segment(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string row(const std::string& href,
                const std::string& label,
                const std::string& size,
                const std::string& time) {
  return "<tr><td><a href=\"" + util::escape_markup(href) + "\">" + util::escape_markup(label)
         + "</a></td><td>" + size + "</td><td>" + time + "</td></tr>\n";
}

} // namespace

std::string format_size(std::uint64_t bytes) {
  constexpr std::array<std::string_view, 6> k_units{"B", "KB", "MB", "GB", "TB", "PB"};
  std::size_t unit = 0;
  std::uint64_t value = bytes;
  while (value >= 1024 && unit + 1 < k_units.size()) {
    value /= 1024;
    ++unit;
  }
  return std::to_string(value) + " " + std::string(k_units[unit]);
}

std::string format_listing_time(std::string_view iso8601) {
  const auto parsed = util::parse_iso8601(iso8601);
  if (!parsed) {
    return std::string(k_dash);
  }
  const std::string iso = util::format_iso8601(*parsed); // YYYY-MM-DDTHH:MM:SSZ
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

std::string
render_index_page(std::string_view title, std::vector<IndexEntry> entries, bool parent_link) {
  std::erase_if(entries, [](const auto& e) { return !e.is_directory && e.name == "index.html"; });
  std::sort(
      entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  const std::string escaped_title = util::escape_markup(title);
  std::string html =
      "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>" + escaped_title
      + "</title>\n</head>\n<body>\n<h1>" + escaped_title
      + "</h1>\n<table>\n<tr><th>Name</th><th>Size</th><th>Last modified</th></tr>\n";
  const std::string dash(k_dash);
  if (parent_link) {
    html += row("../index.html", "..", dash, dash);
  }
  for (const auto& entry : entries) {
    const std::string href = util::percent_encode(entry.name);
    if (entry.is_directory) {
      html += row(href + "/index.html", entry.name + "/", dash, dash);
      continue;
    }
    const auto parsed = util::parse_iso8601(entry.last_modified);
    const std::string time = parsed ? "<time datetime=\"" + util::format_iso8601(*parsed) + "\">"
                                          + format_listing_time(entry.last_modified) + "</time>"
                                    : dash;
    html += row(href, entry.name, format_size(entry.size), time);
  }
  html += "</table>\n</body>\n</html>\n";
  return html;
}

std::vector<IndexPage> plan_index_pages(const std::vector<StoredObject>& listing,
                                        std::string_view root_title,
                                        bool include_intermediate) {
  // Immediate entries of every directory seen in the listing ("" = P).
  std::map<std::string, std::vector<IndexEntry>> files;
  std::map<std::string, std::set<std::string>> subdirs;
  std::set<std::string> pages;
  for (const auto& object : listing) {
    const std::string dir = parent_of(object.name);
    const std::string name = last_segment(object.name);
    files[dir].push_back({name, false, object.size, object.last_modified});
    if (name != "index.html") {
      pages.insert(dir);
    }
    for (std::string child = dir; !child.empty(); child = parent_of(child)) {
      subdirs[parent_of(child)].insert(last_segment(child));
    }
  }
  if (include_intermediate) {
    for (const auto& dir : std::set<std::string>(pages)) {
      for (std::string up = dir; !up.empty();) {
        up = parent_of(up);
        pages.insert(up);
      }
    }
  }
  std::vector<IndexPage> out;
  for (const auto& dir : pages) {
    std::vector<IndexEntry> entries = files[dir];
    for (const auto& sub : subdirs[dir]) {
      entries.push_back({sub, true, 0, {}});
    }
    const std::string title = dir.empty() ? std::string(root_title) : last_segment(dir);
    out.push_back({dir, render_index_page(title, std::move(entries), !dir.empty())});
  }
  return out;
}

} // namespace rockart::storage
