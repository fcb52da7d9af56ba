// SPDX-License-Identifier: MIT
// Dry run: writes are logged as `[DRY RUN] src -> dest`
// and never performed; reads go to the real backend so plans are accurate.
#include "stores.hpp"

#include <rockart/storage/content_type.hpp>

#include <mutex>

namespace rockart::storage::detail {
namespace {

class DryRunStore final : public Store {
public:
  DryRunStore(std::unique_ptr<Store> reader,
              bool local,
              std::function<void(const std::string&)> log)
      : m_reader(std::move(reader)), m_local(local), m_log(std::move(log)) {}

  void upload_file(const std::filesystem::path& src, const layout::StorageLocation& dest) override {
    std::string line = "[DRY RUN] " + src.string() + " -> " + m_reader->describe(dest);
    if (!m_local) {
      line += " (" + std::string(content_type_for(dest.relative_path())) + ")";
    }
    emit(line);
  }

  std::vector<StoredObject> list(const layout::StorageLocation& dir,
                                 std::string_view pattern) override {
    return m_reader->list(dir, pattern);
  }

  void copy(const layout::StorageLocation& src, const layout::StorageLocation& dest) override {
    emit("[DRY RUN] copy " + m_reader->describe(src) + " -> " + m_reader->describe(dest));
  }

  bool exists(const layout::StorageLocation& location) override {
    return m_reader->exists(location);
  }

  std::string describe(const layout::StorageLocation& location) const override {
    return m_reader->describe(location);
  }

private:
  void emit(const std::string& line) {
    const std::lock_guard lock(m_mutex);
    m_log(line);
  }

  std::unique_ptr<Store> m_reader;
  bool m_local;
  std::function<void(const std::string&)> m_log;
  std::mutex m_mutex;
};

} // namespace

std::unique_ptr<Store> make_dry_run_store(std::unique_ptr<Store> reader,
                                          bool local,
                                          std::function<void(const std::string&)> log) {
  return std::make_unique<DryRunStore>(std::move(reader), local, std::move(log));
}

} // namespace rockart::storage::detail
