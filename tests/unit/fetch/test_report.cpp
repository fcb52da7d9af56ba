// SPDX-License-Identifier: MIT
// What `rockart fetch` says: the mode names, the plan checks that end a fetch
// before any download (in TheRock's fetch_artifacts.py wording, which CI logs
// are searched for), the --json report and the closing summary line.
#include "support/log_capture.hpp"
#include "support/support.hpp"

#include <rockart/error.hpp>
#include <rockart/fetch/plan.hpp>
#include <rockart/fetch/report.hpp>
#include <rockart/fetch/types.hpp>
#include <rockart/runs/run.hpp>
#include <rockart/util/log.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace rockart::fetch {
namespace {

using test::LogCapture;
using util::LogLevel;
using Lines = std::vector<std::pair<LogLevel, std::string>>;

runs::Run sample_run() {
  runs::Run run;
  run.repo = "ROCm/TheRock";
  run.id = 20723767265;
  run.platform = "linux";
  run.bucket = "therock-ci-artifacts";
  run.prefix = "20723767265-linux/";
  run.completed = true;
  return run;
}

PlannedArchive planned(std::string name, std::uint64_t size) {
  PlannedArchive archive;
  archive.name = std::move(name);
  archive.size = size;
  return archive;
}

FetchPlan two_archive_plan() {
  FetchPlan plan;
  plan.requested_families = {"generic", "gfx94X-dcgpu"};
  plan.gpu_selected = 2;
  plan.archives = {planned("blas_lib_gfx94X-dcgpu.tar.zst", 2048),
                   planned("core_lib_generic.tar.zst", 1024)};
  return plan;
}

// --- mode_name ---

TEST(ModeName, NamesEachMode) {
  EXPECT_EQ(mode_name(Mode::no_extract), "no-extract");
  EXPECT_EQ(mode_name(Mode::extract), "extract");
  EXPECT_EQ(mode_name(Mode::flatten), "flatten");
  EXPECT_EQ(mode_name(Mode::cache_only), "cache-only");
}

// --- check_plan ---

TEST(CheckPlan, APlanWithArchivesPassesAfterNamingTheFamilies) {
  LogCapture log;
  EXPECT_TRUE(check_plan(two_archive_plan(), sample_run(), {.allow_missing = false}));
  EXPECT_EQ(log.entries,
            (Lines{{LogLevel::info, "rockart: info: Requested families: generic, gfx94X-dcgpu"}}));
}

TEST(CheckPlan, AnAllPlanSaysItDownloadsEverything) {
  FetchPlan plan = two_archive_plan();
  plan.all = true;
  plan.requested_families.clear();
  LogCapture log;
  EXPECT_TRUE(check_plan(plan, sample_run(), {.allow_missing = false}));
  EXPECT_EQ(log.entries,
            (Lines{{LogLevel::info,
                    "rockart: info: No --artifact-group or --amdgpu-targets given: downloading "
                    "all artifacts"}}));
}

TEST(CheckPlan, NoArchiveOfTheRequestedFamiliesFails) {
  FetchPlan plan;
  plan.requested_families = {"generic", "gfx1100"};
  plan.gpu_selected = 0;
  LogCapture log;
  EXPECT_FALSE(check_plan(plan, sample_run(), {.allow_missing = false}));
  EXPECT_EQ(log.entries,
            (Lines{
                {LogLevel::info, "rockart: info: Requested families: generic, gfx1100"},
                {LogLevel::error,
                 "rockart: error: found no artifacts matching generic, gfx1100 at "
                 "s3://therock-ci-artifacts/20723767265-linux"},
                {LogLevel::error,
                 "rockart: error: No matching artifacts for 20723767265 exist. Exiting..."},
            }));
}

TEST(CheckPlan, AnEmptyRunRootFailsForAnAllPlan) {
  FetchPlan plan;
  plan.all = true;
  runs::Run run = sample_run();
  run.bucket = "therock-ci-artifacts-external";
  run.prefix = "ROCm-rocm-libraries/123-windows/";
  run.id = 123;
  LogCapture log;
  EXPECT_FALSE(check_plan(plan, run, {.allow_missing = true})); // allow_missing does not help
  EXPECT_EQ(
      log.entries,
      (Lines{
          {LogLevel::info,
           "rockart: info: No --artifact-group or --amdgpu-targets given: downloading "
           "all artifacts"},
          {LogLevel::error,
           "rockart: error: found no artifacts at "
           "s3://therock-ci-artifacts-external/ROCm-rocm-libraries/123-windows"},
          {LogLevel::error, "rockart: error: No matching artifacts for 123 exist. Exiting..."},
      }));
}

TEST(CheckPlan, AnEmptySetAfterIncludeAndExcludeFails) {
  FetchPlan plan;
  plan.requested_families = {"generic"};
  plan.gpu_selected = 7;
  plan.unmatched_includes = {"rocblas"}; // named after the empty set, as the reason
  LogCapture log;
  EXPECT_FALSE(check_plan(plan, sample_run(), {.allow_missing = true}));
  EXPECT_EQ(log.entries,
            (Lines{
                {LogLevel::info, "rockart: info: Requested families: generic"},
                {LogLevel::error,
                 "rockart: error: Filtering artifacts for 20723767265 resulted in an empty set. "
                 "Exiting..."},
                {LogLevel::error,
                 "rockart: error: no archive of the 7 selected for the GPU request matches "
                 "include pattern(s) rocblas (regexes searched in archive file names; `rockart "
                 "s3 ls s3://therock-ci-artifacts/20723767265-linux/` shows them)"},
            }));
}

TEST(CheckPlan, UnmatchedIncludesAreAnErrorWithoutAllowMissing) {
  FetchPlan plan = two_archive_plan();
  plan.unmatched_includes = {"rocfft", "hip.*runtime"};
  LogCapture log;
  EXPECT_FALSE(check_plan(plan, sample_run(), {.allow_missing = false}));
  EXPECT_EQ(log.entries,
            (Lines{
                {LogLevel::info, "rockart: info: Requested families: generic, gfx94X-dcgpu"},
                {LogLevel::error,
                 "rockart: error: include pattern(s) matched no archive of run 20723767265: "
                 "rocfft, hip.*runtime (pass --allow-missing to fetch the others anyway)"},
            }));
}

TEST(CheckPlan, UnmatchedIncludesAreOnlyAWarningWithAllowMissing) {
  FetchPlan plan = two_archive_plan();
  plan.unmatched_includes = {"rocfft", "hip.*runtime"};
  LogCapture log;
  EXPECT_TRUE(check_plan(plan, sample_run(), {.allow_missing = true}));
  EXPECT_EQ(log.entries,
            (Lines{
                {LogLevel::info, "rockart: info: Requested families: generic, gfx94X-dcgpu"},
                {LogLevel::warn,
                 "rockart: warn: include pattern(s) matched no archive of run 20723767265: "
                 "rocfft, hip.*runtime"},
            }));
}

TEST(CheckPlan, UnmatchedIncludesAreInfoWhenExpected) {
  FetchPlan plan = two_archive_plan();
  plan.unmatched_includes = {"rocprofiler-sdk_lib"};
  LogCapture log;
  EXPECT_TRUE(check_plan(plan, sample_run(), {.allow_missing = true, .missing_is_expected = true}));
  ASSERT_EQ(log.entries.size(), 2u);
  EXPECT_EQ(log.entries[1].first, LogLevel::info);
}

TEST(CheckPlan, AHostOnlySelectionFailsNamingWhatTheRunHas) {
  FetchPlan plan;
  plan.requested_families = {"generic", "gfx94X-dcgpu", "gfx942"};
  plan.gpu_selected = 1;
  plan.host_only = true;
  plan.run_families = {"gfx1100", "gfx1151"};
  plan.archives = {planned("core_lib_generic.tar.zst", 1024)};
  LogCapture log;
  EXPECT_FALSE(check_plan(plan, sample_run(), {.allow_missing = true}));
  ASSERT_EQ(log.entries.size(), 2u);
  EXPECT_EQ(log.entries[1].first, LogLevel::error);
  EXPECT_EQ(log.entries[1].second,
            "rockart: error: no archive for gfx94X-dcgpu, gfx942 at "
            "s3://therock-ci-artifacts/20723767265-linux: only generic (host) archives match, "
            "the tree would have no device code; the run has archives for gfx1100, gfx1151 "
            "(pick one of those with --artifact-group / --amdgpu-targets, or pass "
            "--allow-generic-only to take the generic archives alone)");

  LogCapture allowed;
  EXPECT_TRUE(check_plan(plan, sample_run(), {.allow_generic_only = true}));
  ASSERT_EQ(allowed.entries.size(), 2u);
  EXPECT_EQ(allowed.entries[1].first, LogLevel::warn);
}

// --- report_json ---

ArchiveOutcome ok_outcome(std::string name, std::uint64_t bytes, std::uint64_t files) {
  ArchiveOutcome outcome;
  outcome.name = std::move(name);
  outcome.ok = true;
  outcome.verified = true;
  outcome.sha256 = std::string(64, 'c');
  outcome.bytes = bytes;
  outcome.files = files;
  outcome.destination = "/out/" + outcome.name.substr(0, outcome.name.find(".tar"));
  return outcome;
}

TEST(ReportJson, WithoutASummaryDescribesThePlanOnly) {
  const runs::Run run = sample_run();
  FetchPlan plan = two_archive_plan();
  plan.unmatched_includes = {"rocfft"};
  const ReportInput input{run, Mode::no_extract, "/tmp/out", true, plan, nullptr};
  const nlohmann::json doc = report_json(input);
  const nlohmann::json expected = {
      {"schema_version", 1},
      {"status", "ok"},
      {"run_id", "20723767265"},
      {"bucket", "therock-ci-artifacts"},
      {"prefix", "20723767265-linux/"},
      {"mode", "no-extract"},
      {"output_dir", "/tmp/out"},
      {"dry_run", true},
      {"unmatched_includes", {"rocfft"}},
      {"archives",
       {
           {{"name", "blas_lib_gfx94X-dcgpu.tar.zst"}, {"size", 2048}},
           {{"name", "core_lib_generic.tar.zst"}, {"size", 1024}},
       }},
  };
  EXPECT_EQ(doc, expected) << doc.dump(2);
  EXPECT_TRUE(doc["run_id"].is_string()); // ids exceed 2^53 in no run yet, but stay exact
  EXPECT_FALSE(doc.contains("bytes"));
  EXPECT_FALSE(doc.contains("seconds"));
  EXPECT_FALSE(doc.contains("failures"));
}

TEST(ReportJson, AnEmptyPlanHasEmptyArrays) {
  const runs::Run run = sample_run();
  const FetchPlan plan;
  const nlohmann::json doc = report_json({run, Mode::extract, "out", false, plan, nullptr});
  EXPECT_TRUE(doc["archives"].is_array());
  EXPECT_TRUE(doc["archives"].empty());
  EXPECT_TRUE(doc["unmatched_includes"].is_array());
  EXPECT_TRUE(doc["unmatched_includes"].empty());
  EXPECT_EQ(doc["mode"], "extract");
  EXPECT_EQ(doc["dry_run"], false);
}

TEST(ReportJson, WithASummaryOfSuccessesIsOk) {
  const runs::Run run = sample_run();
  const FetchPlan plan = two_archive_plan();
  FetchSummary summary;
  summary.archives = {ok_outcome("blas_lib_gfx94X-dcgpu.tar.zst", 2048, 12),
                      ok_outcome("core_lib_generic.tar.zst", 0, 3)};
  summary.archives[1].cached = true;
  summary.archives[1].from_cache = true;
  summary.bytes = 2048;
  summary.seconds = 1.5;
  const nlohmann::json doc = report_json({run, Mode::flatten, "/out", false, plan, &summary});
  EXPECT_EQ(doc["status"], "ok");
  EXPECT_EQ(doc["mode"], "flatten");
  EXPECT_EQ(doc["schema_version"], 1);
  EXPECT_EQ(doc["downloaded_bytes"], 2048);
  EXPECT_EQ(doc["seconds"], 1.5);
  EXPECT_EQ(doc["failures"], 0);
  ASSERT_EQ(doc["archives"].size(), 2u);
  const nlohmann::json first = {
      {"name", "blas_lib_gfx94X-dcgpu.tar.zst"},
      {"size", 2048},
      {"ok", true},
      {"source", "download"},
      {"verified", true},
      {"sha256", std::string(64, 'c')},
      {"downloaded_bytes", 2048},
      {"files", 12},
      {"destination", "/out/blas_lib_gfx94X-dcgpu"},
  };
  EXPECT_EQ(doc["archives"][0], first) << doc["archives"][0].dump(2);
  EXPECT_EQ(doc["archives"][1]["source"], "output_dir"); // already there, verified
  EXPECT_EQ(doc["archives"][1]["downloaded_bytes"], 0);
  EXPECT_FALSE(doc["archives"][1].contains("error"));
}

TEST(ReportJson, AFailedArchiveMakesTheStatusErrorAndCarriesItsKindAndMessage) {
  const runs::Run run = sample_run();
  const FetchPlan plan = two_archive_plan();
  FetchSummary summary;
  summary.archives = {ok_outcome("blas_lib_gfx94X-dcgpu.tar.zst", 2048, 12), ArchiveOutcome{}};
  ArchiveOutcome& failed = summary.archives[1];
  failed.name = "core_lib_generic.tar.zst";
  failed.ok = false;
  failed.sha256 = std::string(64, 'd');
  failed.bytes = 1024;
  failed.error_kind = "integrity";
  failed.error = "sha256 mismatch for core_lib_generic.tar.zst";
  summary.bytes = 3072;
  summary.seconds = 2.25;
  const nlohmann::json doc = report_json({run, Mode::extract, "/out", false, plan, &summary});
  EXPECT_EQ(doc["status"], "error");
  EXPECT_EQ(doc["failures"], 1);
  EXPECT_EQ(doc["downloaded_bytes"], 3072);
  EXPECT_EQ(doc["seconds"], 2.25);
  EXPECT_FALSE(doc["archives"][0].contains("error"));
  const nlohmann::json expected_error = {
      {"kind", "integrity"}, {"message", "sha256 mismatch for core_lib_generic.tar.zst"}};
  EXPECT_EQ(doc["archives"][1]["error"], expected_error);
  EXPECT_EQ(doc["archives"][1]["ok"], false);
  EXPECT_EQ(doc["archives"][1]["name"], "core_lib_generic.tar.zst"); // the plan's name
  EXPECT_EQ(doc["archives"][1]["size"], 1024);
  EXPECT_EQ(doc["archives"][1]["destination"], "");
}

TEST(ReportJson, EveryFailureIsCounted) {
  const runs::Run run = sample_run();
  const FetchPlan plan = two_archive_plan();
  FetchSummary summary;
  summary.archives.resize(2); // both !ok
  summary.archives[0].error_kind = "network";
  summary.archives[0].error = "connection reset";
  summary.archives[1].error_kind = "not-found";
  summary.archives[1].error = "no such key";
  const nlohmann::json doc = report_json({run, Mode::cache_only, "", false, plan, &summary});
  EXPECT_EQ(doc["status"], "error");
  EXPECT_EQ(doc["failures"], 2);
  EXPECT_EQ(doc["mode"], "cache-only");
  EXPECT_EQ(doc["archives"][0]["error"]["kind"], "network");
  EXPECT_EQ(doc["archives"][1]["error"]["message"], "no such key");
}

// --- summary_line ---

struct SummaryCase {
  std::size_t ok;
  std::size_t failed;
  std::uint64_t bytes;
  double seconds;
  std::string expected;
};

class SummaryLine : public ::testing::TestWithParam<SummaryCase> {};

TEST_P(SummaryLine, SaysCountsSizeTimeAndRate) {
  const SummaryCase& c = GetParam();
  FetchSummary summary;
  for (std::size_t i = 0; i < c.ok; ++i) {
    summary.archives.push_back(ok_outcome("a" + std::to_string(i) + ".tar.zst", 1, 1));
  }
  summary.archives.resize(c.ok + c.failed); // the rest failed
  summary.bytes = c.bytes;
  summary.seconds = c.seconds;
  EXPECT_EQ(summary_line(summary), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table,
    SummaryLine,
    ::testing::Values(
        SummaryCase{
            3, 0, 10ull << 20, 2.0, "fetched 3 of 3 archives, 10.0 MiB in 2.0 s (5.0 MiB/s)"},
        SummaryCase{
            2, 1, 1536, 0.5, "fetched 2 of 3 archives, 1.5 KiB in 0.5 s (0.0 MiB/s), 1 failed"},
        SummaryCase{0, 2, 0, 3.0, "fetched 0 of 2 archives, 0 B in 3.0 s (0.0 MiB/s), 2 failed"},
        SummaryCase{0, 0, 0, 0.0, "fetched 0 of 0 archives, 0 B in 0.0 s (0.0 MiB/s)"},
        // A zero duration is taken as 1 ms for the rate, never a division by zero.
        SummaryCase{
            1, 0, 1ull << 20, 0.0, "fetched 1 of 1 archives, 1.0 MiB in 0.0 s (1000.0 MiB/s)"},
        SummaryCase{44,
                    0,
                    (3ull << 30) + (512ull << 20),
                    12.34,
                    "fetched 44 of 44 archives, 3.5 GiB in 12.3 s (290.4 MiB/s)"}));

// A cache hit reports the bytes it provided, not "0 B".
TEST(SummaryLineReuse, CountsWhatTheCacheProvidedAndTheNetworkRateApart) {
  FetchSummary summary;
  auto kept = ok_outcome("a.tar.zst", 0, 1);
  kept.cached = true;
  kept.size = 3ull << 20;
  auto blob = ok_outcome("b.tar.zst", 0, 1);
  blob.from_cache = true;
  blob.size = 1ull << 20;
  auto fresh = ok_outcome("c.tar.zst", 2ull << 20, 1);
  fresh.size = 2ull << 20;
  summary.archives = {kept, blob, fresh};
  summary.bytes = 2ull << 20;
  summary.seconds = 1.0;
  EXPECT_EQ(summary.reused_bytes(), 4ull << 20);
  EXPECT_EQ(summary_line(summary),
            "fetched 3 of 3 archives, 6.0 MiB in 1.0 s (4.0 MiB from the cache, 2.0 MiB "
            "downloaded at 2.0 MiB/s)");
  summary.archives = {kept};
  summary.bytes = 0;
  summary.seconds = 0.3;
  EXPECT_EQ(summary_line(summary),
            "fetched 1 of 1 archives, 3.0 MiB in 0.3 s (3.0 MiB from the cache, 0 B downloaded "
            "at 0.0 MiB/s)");
}

// The exit code of a fetch comes from each failure's error class.
TEST(ExitCodeOf, MissingArchivesAreNotFoundAnyOtherFailureIsAnError) {
  const auto failed = [](std::exception_ptr error) {
    ArchiveOutcome outcome;
    outcome.ok = false;
    outcome.failure = std::move(error);
    return outcome;
  };
  ArchiveOutcome ok;
  ok.ok = true;
  FetchSummary summary;
  summary.archives = {ok};
  EXPECT_EQ(exit_code_of(summary), 0);
  summary.archives.push_back(failed(std::make_exception_ptr(NotFoundError("gone"))));
  EXPECT_EQ(exit_code_of(summary), 1);
  summary.archives.push_back(failed(std::make_exception_ptr(IntegrityError("sha256 mismatch"))));
  EXPECT_EQ(exit_code_of(summary), 2);
  summary.archives = {failed(std::make_exception_ptr(std::runtime_error("internal")))};
  EXPECT_EQ(exit_code_of(summary), 2);
  EXPECT_TRUE(failed_with<std::runtime_error>(summary.archives[0]));
  EXPECT_FALSE(failed_with<ArchiveError>(summary.archives[0]));
}

} // namespace
} // namespace rockart::fetch
