// SPDX-License-Identifier: MIT
#include "fetch_fixture.hpp"

#include "support/moto_config.hpp"

#include <rockart/layout/artifact.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>

namespace rockart::test {

std::unique_ptr<LocalServer> FetchE2E::s_moto;
std::unique_ptr<LocalServer> FetchE2E::s_proxy;
std::unique_ptr<TempDir> FetchE2E::s_data;
int FetchE2E::s_counter = 0;

namespace {

fs::path gen_tool() {
  return fs::path(ROCKART_BINARY).parent_path() / "tools" / "rockart-gen-artifacts";
}

void run_ok(const std::vector<std::string>& argv) {
  const auto r = run_process(argv);
  ASSERT_EQ(r.exit_code, 0) << argv[0] << ": " << r.err;
}

std::string octal(unsigned mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%o", mode);
  return text;
}

void compare_entry(const fs::path& e,
                   const fs::path& a,
                   const std::string& rel,
                   std::vector<std::string>& out) {
  struct ::stat se {
  }, sa{};

  if (::lstat(a.c_str(), &sa) != 0) {
    out.push_back("missing: " + rel);
    return;
  }
  ::lstat(e.c_str(), &se);
  if ((se.st_mode & S_IFMT) != (sa.st_mode & S_IFMT)) {
    out.push_back("type differs: " + rel);
  } else if (S_ISLNK(se.st_mode)) {
    if (fs::read_symlink(e) != fs::read_symlink(a)) {
      out.push_back("symlink target differs: " + rel);
    }
  } else if (S_ISDIR(se.st_mode)) {
    // GNU tar creates directories 0777 under the umask (or the archive's mode).
    if ((se.st_mode & 07777) != (sa.st_mode & 07777)) {
      out.push_back("directory mode differs: " + rel + " (tar " + octal(se.st_mode & 07777)
                    + ", ours " + octal(sa.st_mode & 07777) + ")");
    }
  } else if (S_ISREG(se.st_mode)) {
    if ((se.st_mode & 0111) != (sa.st_mode & 0111)) {
      out.push_back("exec bits differ: " + rel);
    }
    if (read_file(e) != read_file(a)) {
      out.push_back("content differs: " + rel);
    }
  }
}

} // namespace

void generate(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {gen_tool().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  run_ok(argv);
}

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<fs::path> archives_of(const std::vector<fs::path>& files) {
  std::vector<fs::path> out;
  for (const auto& f : files) {
    if (layout::is_archive_candidate(f.filename().string())) {
      out.push_back(f);
    }
  }
  return out;
}

std::vector<std::string> tree_differences(const fs::path& expected, const fs::path& actual) {
  std::vector<std::string> out;
  std::vector<std::string> seen;
  for (auto it = fs::recursive_directory_iterator(expected); it != fs::end(it); ++it) {
    const std::string rel = it->path().lexically_relative(expected).string();
    seen.push_back(rel);
    compare_entry(it->path(), actual / rel, rel, out);
  }
  for (auto it = fs::recursive_directory_iterator(actual); it != fs::end(it); ++it) {
    const std::string rel = it->path().lexically_relative(actual).string();
    if (std::find(seen.begin(), seen.end(), rel) == seen.end()) {
      out.push_back("unexpected: " + rel);
    }
  }
  return out;
}

void reference_extract(const std::vector<fs::path>& archives, const fs::path& out) {
  for (const auto& archive : archives) {
    const fs::path dir = out / layout::exploded_dir_name(archive.filename().string());
    fs::create_directories(dir);
    run_ok({"tar", "-xf", archive.string(), "-C", dir.string()});
  }
}

void reference_flatten(const std::vector<fs::path>& archives, const fs::path& out) {
  fs::create_directories(out);
  for (const auto& archive : archives) {
    TempDir scratch;
    run_ok({"tar", "-xf", archive.string(), "-C", scratch.path().string()});
    const std::string manifest = read_file(scratch.path() / "artifact_manifest.txt");
    size_t start = 0;
    while (start < manifest.size()) {
      size_t end = manifest.find('\n', start);
      end = end == std::string::npos ? manifest.size() : end;
      const std::string relpath = manifest.substr(start, end - start);
      if (!relpath.empty() && fs::exists(scratch.path() / relpath)) {
        run_ok({"cp", "-a", (scratch.path() / relpath).string() + "/.", out.string()});
      }
      start = end + 1;
    }
  }
}

fs::path FetchE2E::data_dir(const std::string& set) {
  return s_data->path() / set;
}

void FetchE2E::SetUpTestSuite() {
  s_moto = start_moto();
  if (s_moto->ok()) {
    s_proxy = start_fake("fault_proxy.py", {"--upstream", s_moto->url()});
  }
  s_data = std::make_unique<TempDir>();
  const std::string root = s_data->path().string();
  generate({"--out", root + "/zst", "--count", "8", "--total-size", "12M", "--seed", "5"});
  generate(
      {"--out", root + "/zst", "--name", "big_lib_gfx94X-dcgpu", "--size", "40M", "--seed", "6"});
  generate({"--out", root + "/xz", "--format", "xz", "--count", "4", "--total-size", "4M"});
  generate({"--out", root + "/hostile", "--hostile", "all"});
}

void FetchE2E::TearDownTestSuite() {
  s_proxy.reset();
  s_moto.reset();
  s_data.reset();
}

void FetchE2E::SetUp() {
  if (!s_moto->ok()) {
    ROCKART_SKIP_OR_FAIL("cannot start moto: " + s_moto->error());
  }
  if (!s_proxy || !s_proxy->ok()) {
    ROCKART_SKIP_OR_FAIL("cannot start fault_proxy.py");
  }
  ASSERT_EQ(control(*s_proxy, "/__reset", "").status, 200);
  m_client = std::make_unique<s3::Client>(moto_s3_config(s_moto->url()), m_transport, m_sleeper);
  m_bucket = "fetch-e2e-" + std::to_string(s_counter++);
  m_client->create_bucket(m_bucket);
}

void FetchE2E::seed(const std::vector<fs::path>& files, const std::string& run_id) {
  for (const auto& file : files) {
    m_client->upload(file, m_bucket, run_id + "-linux/" + file.filename().string());
  }
}

void FetchE2E::put(const std::string& name, const std::string& body, const std::string& run_id) {
  m_client->put(m_bucket, run_id + "-linux/" + name, body);
}

ProcessResult FetchE2E::fetch(const std::vector<std::string>& args,
                              const std::string& run_id,
                              bool through_proxy) {
  return run_command("fetch", args, run_id, through_proxy);
}

ProcessResult FetchE2E::run_command(const std::string& command,
                                    const std::vector<std::string>& args,
                                    const std::string& run_id,
                                    bool through_proxy) {
  return run_rockart(command_line(command, args, run_id, through_proxy), rockart_env());
}

std::vector<std::string> FetchE2E::command_line(const std::string& command,
                                                const std::vector<std::string>& args,
                                                const std::string& run_id,
                                                bool through_proxy) const {
  std::vector<std::string> argv = {
      command,
      "--run-id",
      run_id,
      "--bucket",
      m_bucket,
      "--endpoint-url",
      !m_endpoint.empty() ? m_endpoint : (through_proxy ? s_proxy->url() : s_moto->url()),
  };
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

RunOptions FetchE2E::rockart_env() const {
  RunOptions options;
  options.env = {{"AWS_ACCESS_KEY_ID", "testing"},
                 {"AWS_SECRET_ACCESS_KEY", "testing"},
                 {"AWS_REGION", "us-east-2"},
                 {"ROCKART_CACHE_DIR", (m_work.path() / "cache").string()}}; // never ~/.cache
  options.sample_peak_rss = m_sample_rss;
  return options;
}

RunOptions FetchE2E::with_github(const LocalServer& github) const {
  RunOptions options = rockart_env();
  options.env["GITHUB_API_URL"] = github.url();
  return options;
}

void FetchE2E::seed_ci_run(const fs::path& dir, const std::string& prefix, const RunOptions& env) {
  run_rockart({"s3", "mb", "s3://therock-ci-artifacts", "--endpoint-url", s_moto->url()}, env);
  const auto copied = run_rockart({"s3",
                                   "cp",
                                   "--recursive",
                                   dir.string() + "/",
                                   "s3://therock-ci-artifacts/" + prefix + "/",
                                   "--endpoint-url",
                                   s_moto->url()},
                                  env);
  ASSERT_EQ(copied.exit_code, 0) << copied.err;
}

http::Response FetchE2E::control(LocalServer& server, const std::string& path, std::string body) {
  http::Request request;
  request.method = path == "/__stats" ? "GET" : "POST";
  request.url = server.url() + path;
  if (request.method == "POST") {
    request.body = std::move(body);
  }
  return m_transport.perform(request);
}

void FetchE2E::faults(const std::string& json) {
  const auto response = control(*s_proxy, "/__faults", json);
  ASSERT_EQ(response.status, 200) << response.body;
}

long FetchE2E::proxy_count(const std::string& key) {
  const std::string stats = control(*s_proxy, "/__stats", "").body;
  const auto at = stats.find("\"" + key + "\": ");
  return at == std::string::npos ? 0 : std::stol(stats.substr(at + key.size() + 4));
}

} // namespace rockart::test
