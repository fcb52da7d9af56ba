// SPDX-License-Identifier: MIT
// The one error hierarchy of rockart. Each kind carries the process exit code
// it maps to (spec/behaviours.md §0.1) and an optional hint for the user.
#pragma once

#include <stdexcept>
#include <string>

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
      : std::runtime_error(message), m_hint(std::move(hint)) {}

  virtual const char* kind() const noexcept { return "error"; }

  virtual ExitCode exit_code() const noexcept { return ExitCode::error; }

  const std::string& hint() const noexcept { return m_hint; }

private:
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

// Something the user asked for does not exist (exit code 1, not 2).
class NotFoundError : public Error {
public:
  using Error::Error;

  const char* kind() const noexcept override { return "not-found"; }

  ExitCode exit_code() const noexcept override { return ExitCode::not_found; }
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

  // True when retrying the same request may succeed (5xx, 429, throttling).
  bool transient() const noexcept {
    return m_status >= 500 || m_status == 429 || m_code == "SlowDown" || m_code == "RequestTimeout"
           || m_code == "InternalError";
  }

private:
  int m_status;
  std::string m_code;
  std::string m_request_id;
};

} // namespace rockart
