// SPDX-License-Identifier: MIT
#include "sqlite.hpp"

#include <rockart/error.hpp>

namespace rockart::cache::sql {

Db::Db(const std::filesystem::path& path, std::chrono::milliseconds busy_timeout) : m_path(path) {
  const int rc = sqlite3_open_v2(path.c_str(),
                                 &m_db,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    std::string detail = m_db != nullptr ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
    sqlite3_close(m_db);
    m_db = nullptr;
    throw LocalIoError("cannot open cache index " + path.string() + ": " + detail,
                       "check that the cache directory is writable, or pass --no-cache");
  }
  // Several rockart processes share one index: readers never block the
  // writer in WAL mode, and writers wait for each other instead of failing.
  sqlite3_busy_timeout(m_db, static_cast<int>(busy_timeout.count()));
  try {
    exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
  } catch (...) {
    sqlite3_close(m_db);
    throw;
  }
}

Db::~Db() {
  sqlite3_close(m_db);
}

void Db::fail(int rc, std::string_view what) {
  throw LocalIoError("cache index " + m_path.string() + ": " + std::string(what)
                         + " failed: " + sqlite3_errmsg(m_db) + " (" + sqlite3_errstr(rc) + ")",
                     rc == SQLITE_BUSY
                         ? "another rockart process holds the index for too long; retry"
                         : "run 'rockart cache clear' if the index is damaged");
}

void Db::exec(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);
  if (rc != SQLITE_OK) {
    fail(rc, text);
  }
}

Statement Db::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    fail(rc, sql);
  }
  return Statement(*this, stmt, std::string(sql));
}

int Db::user_version() {
  Statement stmt = prepare("PRAGMA user_version");
  stmt.step();
  return static_cast<int>(stmt.integer(0));
}

void Db::set_user_version(int version) {
  exec("PRAGMA user_version=" + std::to_string(version));
}

Statement::~Statement() {
  sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement&& other) noexcept
    : m_db(other.m_db), m_stmt(other.m_stmt), m_sql(std::move(other.m_sql)) {
  other.m_stmt = nullptr;
}

Statement& Statement::bind(int index, std::string_view text) {
  const int rc = sqlite3_bind_text(
      m_stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) {
    m_db->fail(rc, m_sql);
  }
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(m_stmt, index, value);
  if (rc != SQLITE_OK) {
    m_db->fail(rc, m_sql);
  }
  return *this;
}

Statement& Statement::bind_null(int index) {
  const int rc = sqlite3_bind_null(m_stmt, index);
  if (rc != SQLITE_OK) {
    m_db->fail(rc, m_sql);
  }
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(m_stmt);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  m_db->fail(rc, m_sql);
}

void Statement::run() {
  while (step()) {
  }
}

std::string Statement::text(int column) {
  const auto* bytes = sqlite3_column_text(m_stmt, column);
  const int size = sqlite3_column_bytes(m_stmt, column);
  return bytes == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(bytes), size);
}

std::int64_t Statement::integer(int column) {
  return sqlite3_column_int64(m_stmt, column);
}

bool Statement::is_null(int column) {
  return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

Transaction::Transaction(Db& db) : m_db(db) {
  // IMMEDIATE takes the write lock up front. A deferred write would start on
  // a read snapshot and, in WAL mode, fail at once with SQLITE_BUSY when
  // another process committed meanwhile; the busy timeout only covers waiting
  // for the write lock itself.
  if (m_db.transaction_depth() == 0) {
    m_db.exec("BEGIN IMMEDIATE");
  }
  ++m_db.transaction_depth();
}

Transaction::~Transaction() {
  if (!m_done) {
    if (--m_db.transaction_depth() == 0) {
      sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
  }
}

void Transaction::commit() {
  if (m_db.transaction_depth() == 1) {
    m_db.exec("COMMIT");
  }
  --m_db.transaction_depth();
  m_done = true;
}

} // namespace rockart::cache::sql
