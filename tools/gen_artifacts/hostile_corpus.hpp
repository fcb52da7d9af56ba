// SPDX-License-Identifier: MIT
// The hostile-archive corpus: archives that a safe extractor must refuse with
// an ArchiveError naming the offending entry, writing nothing outside its output
// directory. Shared by `rockart-gen-artifacts --hostile` and the archive tests.
#pragma once

#include <rockart/archive/tar_writer.hpp>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace rockart::testdata {

// Every hostile archive lists this relpath; members normally live below it.
inline constexpr const char* k_hostile_relpath = "pkg/stage";

struct HostileCase {
  std::string kind;     // CLI name, e.g. "dotdot"
  std::string expected; // substring of the error message (names the entry)
  std::function<void(const std::filesystem::path&, archive::Compression)> write;
};

namespace hostile_detail {

// One 512-byte ustar header; `size` goes in octal (values that fit 11 digits).
inline std::string ustar_header(const std::string& name, char type, std::uint64_t size) {
  std::string h(512, '\0');
  auto put = [&h](size_t at, const std::string& text) {
    h.replace(at, text.size(), text);
  };
  put(0, name.substr(0, 100));
  put(100, "0000644");
  put(108, "0000000");
  put(116, "0000000");
  char field[16];
  std::snprintf(field, sizeof field, "%011llo", static_cast<unsigned long long>(size));
  put(124, field);
  put(136, "14732571400");
  h[156] = type;
  put(257,
      std::string("ustar\0"
                  "00",
                  8));
  h.replace(148, 8, 8, ' ');
  unsigned sum = 0;
  for (const char c : h) {
    sum += static_cast<unsigned char>(c);
  }
  std::snprintf(field, sizeof field, "%06o", sum);
  h.replace(148, 7, std::string(field, 6) + '\0');
  return h;
}

inline std::string padded(std::string data) {
  data.resize((data.size() + 511) / 512 * 512, '\0');
  return data;
}

// A PAX record "LEN key=value\n" whose LEN counts its own digits.
inline std::string pax_record(const std::string& key, const std::string& value) {
  const std::string body = " " + key + "=" + value + "\n";
  size_t len = body.size() + 1;
  while (std::to_string(len).size() + body.size() != len) {
    ++len;
  }
  return std::to_string(len) + body;
}

inline std::string manifest_member(const std::string& text) {
  return ustar_header("artifact_manifest.txt", '0', text.size()) + padded(text);
}

inline std::string end_of_archive() {
  return std::string(1024, '\0');
}

using Body = std::function<void(archive::TarWriter&)>;

// A case written with libarchive's tar writer: manifest `manifest`, then `body`.
inline HostileCase
tar_case(std::string kind, std::string expected, std::string manifest, Body body) {
  return {std::move(kind),
          std::move(expected),
          [manifest = std::move(manifest), body = std::move(body)](
              const std::filesystem::path& path, archive::Compression compression) {
            archive::TarWriter writer(path, compression);
            if (!manifest.empty()) {
              writer.add_file("artifact_manifest.txt", manifest);
            }
            writer.add_directory("pkg/stage/lib");
            writer.add_file("pkg/stage/lib/ok.txt", "fine\n");
            body(writer);
            writer.finish();
          }};
}

// A case written byte by byte (headers libarchive's writer refuses to emit).
inline HostileCase raw_case(std::string kind, std::string expected, std::string bytes) {
  return {std::move(kind),
          std::move(expected),
          [bytes = std::move(bytes)](const std::filesystem::path& path,
                                     archive::Compression compression) {
            archive::write_compressed_raw(path, compression, bytes);
          }};
}

} // namespace hostile_detail

// The corpus, one entry per distinct attack.
inline std::vector<HostileCase> hostile_cases() {
  using archive::SpecialKind;
  using archive::TarWriter;
  using hostile_detail::raw_case;
  using hostile_detail::tar_case;
  const std::string m = std::string(k_hostile_relpath) + "\n";
  const std::string pax = hostile_detail::pax_record("size", "1125899906842624");
  const std::string huge = hostile_detail::manifest_member(m)
                           + hostile_detail::ustar_header("PaxHeader", 'x', pax.size())
                           + hostile_detail::padded(pax)
                           + hostile_detail::ustar_header("pkg/stage/huge.bin", '0', 0)
                           + hostile_detail::end_of_archive();
  const std::string empty_name = hostile_detail::manifest_member(m)
                                 + hostile_detail::ustar_header("", '0', 0)
                                 + hostile_detail::end_of_archive();
  return {
      tar_case("dotdot",
               "member '../x': member name has a '..' path segment",
               m,
               [](TarWriter& w) { w.add_file("../x", "evil"); }),
      tar_case("dotdot-inner",
               "member 'pkg/stage/../../../x': member name has a '..'",
               m,
               [](TarWriter& w) { w.add_file("pkg/stage/../../../x", "evil"); }),
      tar_case("absolute",
               "member '/tmp/rockart-hostile-abs': member name is an absolute path",
               m,
               [](TarWriter& w) { w.add_file("/tmp/rockart-hostile-abs", "evil"); }),
      tar_case("symlink-etc",
               "member 'pkg/stage/etc': symlink target '/etc' is absolute",
               m,
               [](TarWriter& w) { w.add_symlink("pkg/stage/etc", "/etc"); }),
      tar_case("symlink-escape",
               "member 'pkg/stage/up': symlink target '../../..' points outside",
               m,
               [](TarWriter& w) { w.add_symlink("pkg/stage/up", "../../.."); }),
      tar_case("symlink-dotdot-after-name",
               "member 'pkg/stage/lib/s': symlink target 'ok/../../../..' has '..' after",
               m,
               [](TarWriter& w) { w.add_symlink("pkg/stage/lib/s", "ok/../../../.."); }),
      tar_case("write-through-symlink",
               "member 'pkg/stage/lib/up/evil': parent '*lib/up' is a symlink; refusing to write",
               m,
               [](TarWriter& w) {
                 w.add_symlink("pkg/stage/lib/up", "..");
                 w.add_file("pkg/stage/lib/up/evil", "evil");
               }),
      tar_case("absolute-symlink-chain",
               "member 'pkg/stage/lib/b': symlink target '/etc/passwd' is absolute",
               m,
               [](TarWriter& w) {
                 w.add_symlink("pkg/stage/lib/a", "b");
                 w.add_symlink("pkg/stage/lib/b", "/etc/passwd");
               }),
      tar_case("hardlink-etc-passwd",
               "member 'pkg/stage/pw': hardlink target is an absolute path: '/etc/passwd'",
               m,
               [](TarWriter& w) { w.add_hardlink("pkg/stage/pw", "/etc/passwd"); }),
      tar_case("hardlink-outside",
               "member 'pkg/stage/h': hardlink target has a '..' path segment: '../outside'",
               m,
               [](TarWriter& w) { w.add_hardlink("pkg/stage/h", "../outside"); }),
      tar_case("hardlink-unknown",
               "member 'pkg/stage/h': hardlink target 'pkg/stage/never' is not an earlier",
               m,
               [](TarWriter& w) { w.add_hardlink("pkg/stage/h", "pkg/stage/never"); }),
      tar_case("hardlink-not-in-manifest",
               "member 'pkg/stage/h': hardlink target not in manifest: 'other/x'",
               m,
               [](TarWriter& w) { w.add_hardlink("pkg/stage/h", "other/x"); }),
      tar_case("char-device",
               "member 'pkg/stage/null': unhandled tar member: character device",
               m,
               [](TarWriter& w) { w.add_special("pkg/stage/null", SpecialKind::char_device); }),
      tar_case("block-device",
               "member 'pkg/stage/sda': unhandled tar member: block device",
               m,
               [](TarWriter& w) { w.add_special("pkg/stage/sda", SpecialKind::block_device); }),
      tar_case("fifo",
               "member 'pkg/stage/pipe': unhandled tar member: FIFO",
               m,
               [](TarWriter& w) { w.add_special("pkg/stage/pipe", SpecialKind::fifo); }),
      tar_case("dot-name",
               "member './': member name has a '.' path segment",
               m,
               [](TarWriter& w) { w.add_directory("."); }),
      raw_case("empty-name", "member '': member name is empty", empty_name),
      tar_case("duplicate-manifest",
               "member 'artifact_manifest.txt': duplicate",
               m,
               [](TarWriter& w) { w.add_file("artifact_manifest.txt", "../..\n"); }),
      raw_case(
          "huge-size", "member 'pkg/stage/huge.bin': declared size 1125899906842624 exceeds", huge),
      tar_case("manifest-dotdot",
               "artifact_manifest.txt: relpath has a '..' path segment: '../..'",
               "../..\n",
               [](TarWriter&) {}),
      tar_case("manifest-absolute",
               "artifact_manifest.txt: relpath is an absolute path: '/etc'",
               "/etc\n",
               [](TarWriter&) {}),
      tar_case("manifest-not-first",
               "archive must have artifact_manifest.txt as its first member (first member is "
               "'pkg/stage/lib/')",
               "",
               [](TarWriter& w) { w.add_file("artifact_manifest.txt", "pkg/stage\n"); }),
      tar_case("not-in-manifest",
               "member 'other/x': file not in manifest",
               m,
               [](TarWriter& w) { w.add_file("other/x", "evil"); }),
  };
}

} // namespace rockart::testdata
