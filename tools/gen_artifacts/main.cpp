// SPDX-License-Identifier: MIT
// rockart-gen-artifacts: writes deterministic TheRock-like artifact archives (a
// set, a real-scale run, one named archive, or a hostile corpus case) plus
// .sha256sum companions.
// Prints one line per archive: file name, compressed bytes, payload bytes, files.
#include "generator.hpp"
#include "hostile_corpus.hpp"

#include <rockart/error.hpp>

#include <CLI/CLI.hpp>

#include <iostream>

namespace {

using rockart::testdata::ArchiveSpec;
using rockart::testdata::GeneratedArchive;

void print(const GeneratedArchive& a) {
  std::cout << a.path.filename().string() << '\t' << a.compressed_bytes << '\t' << a.payload_bytes
            << '\t' << a.files << '\n';
}

// "blas_lib_gfx94X-dcgpu" -> fields of an ArchiveSpec.
ArchiveSpec spec_from_name(const std::string& name) {
  const size_t a = name.find('_');
  const size_t b = a == std::string::npos ? a : name.find('_', a + 1);
  if (b == std::string::npos || name.find('_', b + 1) != std::string::npos || a == 0 || b == a + 1
      || b + 1 == name.size()) {
    throw rockart::UsageError("--name '" + name + "' must be {name}_{component}_{family}");
  }
  ArchiveSpec spec;
  spec.name = name.substr(0, a);
  spec.component = name.substr(a + 1, b - a - 1);
  spec.family = name.substr(b + 1);
  spec.relpaths = {"math-libs/" + spec.name + "/stage"};
  return spec;
}

int write_hostile(const std::filesystem::path& out,
                  const std::string& kind,
                  rockart::archive::Compression compression) {
  bool found = false;
  for (const auto& c : rockart::testdata::hostile_cases()) {
    if (kind == "all" || c.kind == kind) {
      const std::filesystem::path path =
          out
          / ("hostile-" + c.kind + "_lib_generic" + std::string(archive_extension(compression)));
      c.write(path, compression);
      std::cout << path.filename().string() << '\t' << c.expected << '\n';
      found = true;
    }
  }
  if (!found) {
    throw rockart::UsageError("unknown --hostile kind '" + kind + "' (see --list-hostile)");
  }
  return 0;
}

// --scale real: the archives one GPU family sees in a real CI run. Options that
// shape other sets are refused rather than silently ignored.
int write_real_scale(const std::filesystem::path& out,
                     const CLI::App& app,
                     rockart::testdata::RealScaleOptions options,
                     const std::string& total) {
  for (const char* other : {"--count", "--skew", "--family", "--name", "--size", "--hostile"}) {
    if (app.count(other) > 0) {
      throw rockart::UsageError(std::string(other)
                                + " does not apply to --scale real: its names come from a fixed"
                                  " inventory, its per-GPU archives are named by --target, and"
                                  " --total-size scales its sizes");
    }
  }
  if (app.count("--total-size") > 0) {
    options.total_size = rockart::testdata::parse_size(total);
  }
  for (const ArchiveSpec& spec : rockart::testdata::plan_real_scale(options)) {
    print(rockart::testdata::generate_archive(out, spec));
  }
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"Generate deterministic TheRock-like artifact archives (.tar.zst/.tar.xz)"};
  std::filesystem::path out;
  std::string format = "zst", total = "64M", size = "1M", name, hostile, scale;
  rockart::testdata::SetOptions set;
  rockart::testdata::RealScaleOptions real;
  bool list_hostile = false;
  app.add_option("--out", out, "output directory (created)");
  app.add_option("--seed", set.seed, "PRNG seed; same seed, same bytes");
  app.add_option("--family", set.family, "target family of per-family archives");
  app.add_option("--count", set.count, "number of archives in the set");
  app.add_option("--total-size",
                 total,
                 "uncompressed size of the whole set (e.g. 200M; default 64M, with --scale real "
                 "6G, about 2 GiB compressed)");
  app.add_flag("--skew", set.skew, "Zipf-like sizes: a few large archives, many small");
  app.add_option("--format", format, "zst or xz")->check(CLI::IsMember({"zst", "xz"}));
  app.add_option("--level", set.level, "compression level (default zstd 3, xz 6)");
  app.add_option("--name", name, "write one archive named {name}_{component}_{family}");
  app.add_option("--size", size, "uncompressed size of the --name archive (e.g. 300M)");
  app.add_option("--hostile", hostile, "write a hostile corpus archive of this kind (or 'all')");
  app.add_flag("--list-hostile", list_hostile, "list hostile kinds and their expected errors");
  app.add_option("--scale",
                 scale,
                 "'real': one GPU family's view of a multi-arch TheRock CI run: the generic "
                 "archives of 64 artifact names plus kpack-split per-target archives "
                 "({name}_{component}_{target}), 266 in all, about 2 GiB compressed, the "
                 "largest (blas_lib_{target}) about 400 MB, most under 2 MB");
  app.add_option("--target", real.target, "--scale real: target of the per-target archives")
      ->default_str(real.target);
  CLI11_PARSE(app, argc, argv);
  try {
    if (list_hostile) {
      for (const auto& c : rockart::testdata::hostile_cases()) {
        std::cout << c.kind << '\t' << c.expected << '\n';
      }
      return 0;
    }
    if (!scale.empty() && scale != "real") {
      throw rockart::UsageError("unknown --scale '" + scale + "': the accepted value is 'real'");
    }
    if (app.count("--target") > 0 && scale.empty()) {
      throw rockart::UsageError("--target applies to --scale real only");
    }
    if (out.empty()) {
      throw rockart::UsageError("--out is required");
    }
    std::filesystem::create_directories(out);
    set.compression =
        format == "xz" ? rockart::archive::Compression::xz : rockart::archive::Compression::zstd;
    if (scale == "real") {
      real.seed = set.seed;
      real.compression = set.compression;
      real.level = set.level;
      return write_real_scale(out, app, real, total);
    }
    if (!hostile.empty()) {
      return write_hostile(out, hostile, set.compression);
    }
    if (!name.empty()) {
      ArchiveSpec spec = spec_from_name(name);
      spec.size = rockart::testdata::parse_size(size);
      spec.compression = set.compression;
      spec.level = set.level;
      spec.seed = set.seed;
      print(rockart::testdata::generate_archive(out, spec));
      return 0;
    }
    set.total_size = rockart::testdata::parse_size(total);
    for (const ArchiveSpec& spec : rockart::testdata::plan_set(set)) {
      print(rockart::testdata::generate_archive(out, spec));
    }
    return 0;
  } catch (const rockart::Error& e) {
    std::cerr << "rockart-gen-artifacts: error: " << e.what() << '\n';
    return 2;
  }
}
