// SPDX-License-Identifier: MIT
// rockart-extract-bench ARCHIVE OUT_DIR [extract|flatten] [--pipe]: times one
// extraction (optionally streamed through a BytePipe from a reader thread, as
// a download would feed it) and prints seconds and throughput.
#include <rockart/archive/extract.hpp>
#include <rockart/error.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  using namespace rockart::archive;
  if (argc < 3) {
    std::cerr << "usage: rockart-extract-bench ARCHIVE OUT_DIR [extract|flatten] [--pipe]\n";
    return 2;
  }
  const std::filesystem::path archive = argv[1];
  ExtractOptions options;
  options.output_dir = argv[2];
  options.mode =
      argc > 3 && std::string(argv[3]) == "flatten" ? ExtractMode::flatten : ExtractMode::extract;
  const bool use_pipe = argc > 4 && std::string(argv[4]) == "--pipe";
  options.archive_name = archive.filename().string();
  options.directory_name = options.archive_name.substr(0, options.archive_name.find(".tar."));
  try {
    std::filesystem::create_directories(options.output_dir);
    const auto start = std::chrono::steady_clock::now();
    ExtractResult result;
    if (use_pipe) {
      BytePipe pipe;
      std::thread producer([&] {
        std::ifstream in(archive, std::ios::binary);
        std::vector<char> buf(256 * 1024);
        while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
          if (!pipe.write(std::as_bytes(std::span(buf.data(), static_cast<size_t>(in.gcount()))))) {
            return;
          }
        }
        pipe.close();
      });
      {
        PipeSource source(pipe);
        result = extract(source, options);
      }
      producer.join();
    } else {
      FileSource source(archive);
      result = extract(source, options);
    }
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "files=" << result.files << " symlinks=" << result.symlinks
              << " hardlinks=" << result.hardlinks << " bytes=" << result.bytes << " seconds=" << s
              << " MiB/s=" << static_cast<double>(result.bytes) / s / (1 << 20) << "\n";
  } catch (const rockart::Error& e) {
    std::cerr << "rockart-extract-bench: error: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
