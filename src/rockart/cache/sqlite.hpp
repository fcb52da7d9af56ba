// SPDX-License-Identifier: MIT
// Thin RAII owners of sqlite3 and sqlite3_stmt handles (private to the cache
// layer). Every failure becomes a LocalIoError naming the database and the
// statement that failed.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace rockart::cache::sql {

class Statement;

// One open database connection.
class Db {
public:
  // Opens (creating) `path`, sets WAL mode, a busy timeout and foreign keys.
  Db(const std::filesystem::path& path, std::chrono::milliseconds busy_timeout);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs one or more statements without results.
  void exec(std::string_view sql);

  // Compiles one statement.
  Statement prepare(std::string_view sql);

  int user_version();

  void set_user_version(int version);

  sqlite3* handle() { return m_db; }

  // Open Transaction objects (nested ones join the outermost).
  int& transaction_depth() { return m_depth; }

  const std::filesystem::path& path() const { return m_path; }

  // Throws LocalIoError for `rc` (the caller's failing return code) with `what`.
  [[noreturn]] void fail(int rc, std::string_view what);

private:
  sqlite3* m_db = nullptr;
  std::filesystem::path m_path;
  int m_depth = 0;
};

// A prepared statement; bind 1-based parameters, step through rows.
class Statement {
public:
  Statement(Db& db, sqlite3_stmt* stmt, std::string sql)
      : m_db(&db), m_stmt(stmt), m_sql(std::move(sql)) {}

  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  Statement& bind_null(int index);

  // Advances to the next row; false when done.
  bool step();

  // Runs a statement that returns no rows.
  void run();

  std::string text(int column);
  std::int64_t integer(int column);
  bool is_null(int column);

private:
  Db* m_db;
  sqlite3_stmt* m_stmt;
  std::string m_sql;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back when destroyed without commit().
// Nested transactions join the outermost one.
class Transaction {
public:
  explicit Transaction(Db& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

private:
  Db& m_db;
  bool m_done = false;
};

} // namespace rockart::cache::sql
