// SPDX-License-Identifier: MIT
#include "curl_exchange.hpp"

#include <rockart/error.hpp>
#include <rockart/http/curl_transport.hpp>
#include <rockart/util/format.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/redact.hpp>

#include <array>
#include <cstdio>
#include <mutex>
#include <vector>

namespace rockart::http {

namespace {

using detail::EasyHandle;
using detail::Exchange;
using detail::ShareHandle;
using detail::SlistHandle;
using Clock = std::chrono::steady_clock;

void global_init() {
  static const CURLcode result = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (result != CURLE_OK) {
    throw NetworkError(std::string("cannot initialise libcurl: ") + curl_easy_strerror(result));
  }
}

SlistHandle build_headers(const Request& request) {
  curl_slist* list = nullptr;
  auto append = [&list](const std::string& line) {
    curl_slist* next = curl_slist_append(list, line.c_str());
    if (next == nullptr) {
      curl_slist_free_all(list);
      throw std::bad_alloc();
    }
    list = next;
  };
  for (const auto& [name, value] : request.headers) {
    // "Name;" is libcurl's spelling for a header with an empty value.
    append(value.empty() ? name + ";" : name + ": " + value);
  }
  // No "Expect: 100-continue": it costs a round trip (or a 1 s wait with servers that
  // ignore it) on every large PUT, and S3 answers early errors without it.
  append("Expect:");
  return SlistHandle(list);
}

void set_method(CURL* handle, const Request& request, std::uint64_t length) {
  const bool has_body = !std::holds_alternative<std::monostate>(request.body);
  if (request.method == "HEAD") {
    curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
  } else if (request.method == "GET" && !has_body) {
    curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "PUT" || request.method == "POST" || has_body) {
    // Upload mode sends Content-Length (0 for an empty body) and reads through on_read.
    curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(handle, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(length));
  }
  if (request.method != "GET" && request.method != "HEAD" && request.method != "PUT") {
    curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
}

void set_timeouts(CURL* handle, const Timeouts& t) {
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(t.connect.count()));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(t.total.count()));
  // libcurl's low-speed check is exactly the stall rule: below N bytes/s for T seconds.
  curl_easy_setopt(handle, CURLOPT_LOW_SPEED_LIMIT, static_cast<long>(t.stall_bytes_per_second));
  curl_easy_setopt(handle, CURLOPT_LOW_SPEED_TIME, static_cast<long>(t.stall_time.count()));
}

// Turns a libcurl failure into a NetworkError that says what broke and how far it got.
[[noreturn]] void throw_network_error(const Exchange& exchange,
                                      CURLcode code,
                                      const char* detail,
                                      const Timeouts& timeouts) {
  const Request& request = exchange.request;
  const std::string prefix = request.method + " " + util::redact_url(request.url) + ": ";
  const std::string curl_text = *detail != '\0' ? detail : curl_easy_strerror(code);
  curl_off_t expected = -1;
  curl_easy_getinfo(exchange.handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &expected);
  const std::string got = std::to_string(exchange.response.bytes_received);
  const std::string of = expected >= 0 ? " of " + std::to_string(expected) : "";
  switch (code) {
  case CURLE_PARTIAL_FILE:
    throw NetworkError(prefix + "connection closed after " + got + of + " bytes (" + curl_text
                       + ")");
  case CURLE_RECV_ERROR:
  case CURLE_SEND_ERROR:
    throw NetworkError(prefix + "connection lost after " + got + of + " bytes received and "
                       + std::to_string(exchange.response.bytes_sent) + " sent (" + curl_text
                       + ")");
  case CURLE_OPERATION_TIMEDOUT:
    if (exchange.response.status != 0
        || std::string_view(curl_text).find("too slow") != std::string_view::npos) {
      throw NetworkError(
          prefix + "transfer stalled after " + got + of + " bytes (" + curl_text + ")",
          "the transfer stayed under " + std::to_string(timeouts.stall_bytes_per_second)
              + " bytes/s for " + std::to_string(timeouts.stall_time.count())
              + " s; check the network, then retry");
    }
    throw NetworkError(prefix + "timed out (" + curl_text + ")");
  case CURLE_GOT_NOTHING:
    throw NetworkError(prefix + "server closed the connection without a response");
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_RESOLVE_PROXY:
  case CURLE_COULDNT_CONNECT:
    throw NetworkError(prefix + curl_text, "check the endpoint URL and the network connection");
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CACERT_BADFILE:
    throw NetworkError(prefix + "TLS failure: " + curl_text,
                       "check that the endpoint speaks HTTPS with a certificate the system "
                       "CA store trusts (verification cannot be turned off)");
  default:
    throw NetworkError(prefix + curl_text);
  }
}

} // namespace

struct CurlTransport::Impl {
  CurlOptions options;
  ShareHandle share;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> share_locks;
  std::mutex pool_mutex;
  std::vector<EasyHandle> idle; // most recently used last: its connections are warmest

  explicit Impl(CurlOptions o) : options(std::move(o)) {
    share.reset(curl_share_init());
    if (!share) {
      throw NetworkError("cannot create a libcurl share handle");
    }
    curl_share_setopt(share.get(), CURLSHOPT_LOCKFUNC, &Impl::lock);
    curl_share_setopt(share.get(), CURLSHOPT_UNLOCKFUNC, &Impl::unlock);
    curl_share_setopt(share.get(), CURLSHOPT_USERDATA, this);
    // Only the DNS cache is shared between threads: libcurl 7.88 documents sharing the
    // connection cache (and TLS sessions in later docs) between concurrent threads as
    // unsupported. Connections are reused across threads through the handle pool instead:
    // an idle easy handle keeps its live connections for whichever thread takes it next.
    curl_share_setopt(share.get(), CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  }

  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* self) {
    static_cast<Impl*>(self)->share_locks.at(static_cast<std::size_t>(data)).lock();
  }

  static void unlock(CURL*, curl_lock_data data, void* self) {
    static_cast<Impl*>(self)->share_locks.at(static_cast<std::size_t>(data)).unlock();
  }

  EasyHandle acquire() {
    {
      const std::lock_guard lock(pool_mutex);
      if (!idle.empty()) {
        EasyHandle handle = std::move(idle.back());
        idle.pop_back();
        // Reset clears options but keeps live connections and caches.
        curl_easy_reset(handle.get());
        return handle;
      }
    }
    EasyHandle handle(curl_easy_init());
    if (!handle) {
      throw NetworkError("cannot create a libcurl easy handle");
    }
    return handle;
  }

  void release(EasyHandle handle) {
    const std::lock_guard lock(pool_mutex);
    if (idle.size() < options.max_idle_handles) {
      idle.push_back(std::move(handle));
    }
  }

  void configure(CURL* handle, const Request& request, const Timeouts& timeouts) const {
    curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
    // Send the path exactly as built: libcurl would otherwise collapse `/./` and
    // `/../`, changing which S3 key is addressed and breaking the SigV4 signature.
    curl_easy_setopt(handle, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(handle, CURLOPT_SHARE, share.get());
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L); // required with threads
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(handle, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options.ca_bundle.empty()) {
      curl_easy_setopt(handle, CURLOPT_CAINFO, options.ca_bundle.c_str());
    }
    curl_easy_setopt(handle, CURLOPT_USERAGENT, options.user_agent.c_str());
    curl_easy_setopt(handle, CURLOPT_TCP_KEEPALIVE, 1L);
    // Redirects are the caller's business: S3 redirects need a re-signed request.
    curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
    set_timeouts(handle, timeouts);
  }

  Response perform(const Request& request);
};

Response CurlTransport::Impl::perform(const Request& request) {
  const Timeouts& timeouts = request.timeouts ? *request.timeouts : options.timeouts;
  EasyHandle handle = acquire();
  Exchange exchange(handle.get(), request);
  configure(handle.get(), request, timeouts);
  set_method(handle.get(), request, exchange.upload_length);
  const SlistHandle headers = build_headers(request);
  curl_easy_setopt(handle.get(), CURLOPT_HTTPHEADER, headers.get());
  std::array<char, CURL_ERROR_SIZE> error_text{};
  curl_easy_setopt(handle.get(), CURLOPT_ERRORBUFFER, error_text.data());
  exchange.install_callbacks();

  const auto start = Clock::now();
  const CURLcode code = curl_easy_perform(handle.get());
  exchange.response.elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  long status = 0;
  curl_easy_getinfo(handle.get(), CURLINFO_RESPONSE_CODE, &status);
  exchange.response.status = static_cast<int>(status);
  // The error buffer and header list die with this frame; no dangling pointers in the pool.
  curl_easy_setopt(handle.get(), CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(handle.get(), CURLOPT_HTTPHEADER, nullptr);
  release(std::move(handle));

  const std::string what = request.method + " " + util::redact_url(request.url);
  const auto ms = std::to_string(exchange.response.elapsed.count()) + " ms";
  if (exchange.callback_error) {
    util::log_debug("http: " + what + " -> aborted by caller after " + ms);
    std::rethrow_exception(exchange.callback_error);
  }
  if (code != CURLE_OK && exchange.headers_ended && exchange.response.status >= 200) {
    // The final headers arrived but the body failed before its first byte: the caller
    // still sees them first (e.g. to learn the size it was about to receive).
    exchange.deliver_headers(exchange.response.status);
  }
  if (code != CURLE_OK) {
    util::log_debug("http: " + what + " -> failed after " + ms + ": "
                    + (error_text[0] != '\0' ? error_text.data() : curl_easy_strerror(code)));
    throw_network_error(exchange, code, error_text.data(), timeouts);
  }
  // A response without body bytes (HEAD, 204, Content-Length: 0) never reached on_write.
  exchange.deliver_headers(exchange.response.status);
  if (util::log_enabled(util::LogLevel::debug)) {
    const auto size = std::max(exchange.response.bytes_sent, exchange.response.bytes_received);
    util::log_debug("http: " + what + " -> " + std::to_string(status) + " in " + ms + " ("
                    + util::format_bytes(size) + ")");
  }
  return std::move(exchange.response);
}

CurlTransport::CurlTransport(CurlOptions options) {
  global_init();
  m_impl = std::make_unique<Impl>(std::move(options));
}

CurlTransport::~CurlTransport() = default;

Response CurlTransport::perform(const Request& request) {
  return m_impl->perform(request);
}

} // namespace rockart::http
