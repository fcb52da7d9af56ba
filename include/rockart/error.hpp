// SPDX-License-Identifier: MIT
// The one error hierarchy of rockart. Each kind carries the process exit code
// it maps to (see ExitCode) and an optional hint for the user.
#pragma once

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rockart {

// Exit-code contract shared with the TheRock scripts rockart replaces.
enum class ExitCode : int {
  success = 0,
  not_found = 1, // nothing found / nothing fetched / a required item is missing
  error = 2,     // any failure: usage, config, network, integrity, ...
  interrupted = 130,
};

// Base of every rockart error. `kind()` names the category for messages and
// `--json`; `hint()` says what the user can try next (may be empty).
class Error : public std::runtime_error {
public:
  explicit Error(const std::string& message, std::string hint = {})
      : std::runtime_error(message), m_message(message), m_hint(std::move(hint)) {}

  const char* what() const noexcept override { return m_message.c_str(); }

  virtual const char* kind() const noexcept { return "error"; }

  virtual ExitCode exit_code() const noexcept { return ExitCode::error; }

  const std::string& hint() const noexcept { return m_hint; }

  // Prefixes the message with "{prefix}: " and, when `hint` is not empty,
  // replaces the hint. Meant for `catch (Error& e) { e.add_context(...); throw; }`:
  // the rethrown error keeps its class, hence its kind and exit code.
  void add_context(std::string_view prefix, std::string hint = {}) {
    m_message = std::string(prefix) + ": " + m_message;
    if (!hint.empty()) {
      m_hint = std::move(hint);
    }
  }

private:
  std::string m_message;
  std::string m_hint;
};

// Bad command-line or API input.
class UsageError : public Error {
public:
  using Error::Error;

  const char* kind() const noexcept override { return "usage"; }
};

// Bad environment or configuration file.
class ConfigError : public Error {
public:
  using Error::Error;

  const char* kind() const noexcept override { return "config"; }
};

// Credentials missing or rejected.
class AuthError : public Error {
public:
  using Error::Error;

  const char* kind() const noexcept override { return "auth"; }
};

// Checksum mismatch or missing checksum companion.
class IntegrityError : public Error {
public:
  using Error::Error;

  const char* kind() const noexcept override { return "integrity"; }
};

// Malformed or hostile archive.
class ArchiveError : public Error {
public:
  using Error::Error;

  const char* kind() const noexcept override { return "archive"; }
};

// Local filesystem failure.
class LocalIoError : public Error {
public:
  using Error::Error;

  const char* kind() const noexcept override { return "local-io"; }
};

// The disk (or the user's quota) is full: starting more work would only fail
// the same way, so a batch stops at the first one.
class DiskFullError : public LocalIoError {
public:
  using LocalIoError::LocalIoError;

  const char* kind() const noexcept override { return "disk-full"; }
};

// Throws "{message}: {strerror(error)}" as DiskFullError for ENOSPC and
// EDQUOT, else as LocalIoError.
[[noreturn]] inline void
throw_io_error(const std::string& message, int error, std::string hint = {}) {
  const std::string text = message + ": " + std::strerror(error);
  if (error == ENOSPC || error == EDQUOT) {
    throw DiskFullError(text, std::move(hint));
  }
  throw LocalIoError(text, std::move(hint));
}

// Something the user asked for does not exist (exit code 1, not 2).
class NotFoundError : public Error {
public:
  using Error::Error;

  const char* kind() const noexcept override { return "not-found"; }

  ExitCode exit_code() const noexcept override { return ExitCode::not_found; }
};

// The bucket itself does not exist (S3 `NoSuchBucket`): not found, like any
// absent object. Callers that must tell a vanished bucket from a missing key
// (find forgives deleted legacy buckets) catch this type.
class NoSuchBucketError : public NotFoundError {
public:
  using NotFoundError::NotFoundError;
};

// No response arrived (DNS, connect, TLS, timeout, reset, stall). Transient.
class NetworkError : public Error {
public:
  using Error::Error;

  const char* kind() const noexcept override { return "network"; }
};

// A server answered with an error. `status` is the HTTP status, `code` the
// service's error code (S3 `NoSuchKey`, ...), `request_id` for support.
class RemoteError : public Error {
public:
  RemoteError(const std::string& message,
              int status,
              std::string code = {},
              std::string request_id = {},
              std::string hint = {})
      : Error(message, std::move(hint)), m_status(status), m_code(std::move(code)),
        m_request_id(std::move(request_id)) {}

  const char* kind() const noexcept override { return "remote"; }

  int status() const noexcept { return m_status; }

  const std::string& code() const noexcept { return m_code; }

  const std::string& request_id() const noexcept { return m_request_id; }

private:
  int m_status;
  std::string m_code;
  std::string m_request_id;
};

// Runs `fn` and returns what it returns; a rockart::Error it throws is
// rethrown with `prefix` (and `hint`, when not empty) added, keeping its class.
template <typename Fn>
decltype(auto) with_context(std::string_view prefix, const std::string& hint, Fn&& fn) {
  try {
    return fn();
  } catch (Error& e) {
    e.add_context(prefix, hint);
    throw;
  }
}

} // namespace rockart
