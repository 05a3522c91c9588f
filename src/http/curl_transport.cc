// CurlTransport: HTTP/1.1 over libcurl's multi interface, one event-loop
// thread per transport.
//
// Life of a request: Send() appends it to `queue_` under `mu_` and wakes the
// loop with curl_multi_wakeup. The loop takes the whole queue at once, binds
// each request to a Transfer (an easy handle from the free list, reused so
// that its buffers and settings survive), adds it to the multi handle, and
// between curl_multi_poll calls harvests finished transfers and runs their
// callbacks on the loop thread. Keep-alive comes from the multi handle's
// connection cache, which every easy handle shares.
//
// Callbacks are user code; they must not throw (an exception on the loop
// thread terminates the process) and must not destroy the transport.
#include <curl/curl.h>
#include <zlib.h>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/ascii.h"
#include "moe/transport.h"

namespace moe {
namespace {

constexpr std::string_view kShutDown = "transport shut down";


bool HasHeader(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < key.size() && same; ++i) same = internal::AsciiLower(key[i]) == name[i];
    if (same) return true;
  }
  return false;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// One in-flight request bound to a reusable easy handle.
struct Transfer {
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  HttpRequest request;  // owns the URL and body curl points into
  Transport::Callback done;
  HttpResponse response;
  char error[CURL_ERROR_SIZE];
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  t->response.body.append(data, size * count);
  return size * count;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    // A new status line (after a 1xx or a redirect) starts a new header block.
    t->response.headers.clear();
    return line.size();
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return line.size();  // the blank line
  std::string name(Trim(line.substr(0, colon)));
  for (char& c : name) c = internal::AsciiLower(c);
  std::string_view value = Trim(line.substr(colon + 1));
  if (name == "content-length") {
    size_t length = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
    // Reserve up front, bounded so a lying header cannot exhaust memory.
    if (ec == std::errc() && length <= (64u << 20)) t->response.body.reserve(length);
  }
  t->response.headers.emplace_back(std::move(name), std::string(value));
  return line.size();
}

Error ErrorFromCurl(CURLcode code, const Transfer& t) {
  std::string message = "curl: ";
  message += t.error[0] != '\0' ? t.error : curl_easy_strerror(code);
  message += " (";
  message += t.request.url;
  message += ")";
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return Error(ErrorCode::kTimeout, std::move(message));
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return Error(ErrorCode::kInvalidArgument, std::move(message));
    default:
      return Error(ErrorCode::kNetwork, std::move(message));
  }
}

// Checks x-amz-crc32 (decimal CRC32 of the body, as DynamoDB sends it).
Status CheckCrc32(const HttpResponse& response) {
  std::string_view header = response.Header("x-amz-crc32");
  if (header.empty()) return Ok();
  uint32_t expected = 0;
  auto [end, ec] = std::from_chars(header.data(), header.data() + header.size(), expected);
  if (ec != std::errc() || end != header.data() + header.size()) {
    return Error::BadResponse("invalid x-amz-crc32 header: " + std::string(header));
  }
  uLong crc = crc32(0L, Z_NULL, 0);
  const auto* p = reinterpret_cast<const Bytef*>(response.body.data());
  size_t left = response.body.size();
  while (left > 0) {  // zlib takes uInt lengths
    uInt chunk = left > (1u << 30) ? (1u << 30) : static_cast<uInt>(left);
    crc = crc32(crc, p, chunk);
    p += chunk;
    left -= chunk;
  }
  if (static_cast<uint32_t>(crc) != expected) {
    return Error::BadResponse("CRC32 mismatch: x-amz-crc32 says " + std::to_string(expected) +
                              ", body has " + std::to_string(static_cast<uint32_t>(crc)));
  }
  return Ok();
}

class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(const CurlOptions& options) : options_(options) {}
  ~CurlTransport() override;

  // Creates the multi handle and starts the loop; on failure the transport
  // stays usable and fails every request with kNetwork.
  void Start();

  void Send(HttpRequest request, Callback done) override;

 private:
  struct Pending {
    HttpRequest request;
    Callback done;
  };

  void Loop();
  void Begin(Pending pending);
  void Finish(Transfer* t, CURLcode code);
  void Complete(Transfer* t, Result<HttpResponse> result);
  std::unique_ptr<Transfer> Acquire();
  void Release(std::unique_ptr<Transfer> t);
  void ShutDown();

  const CurlOptions options_;
  bool global_init_ = false;
  CURLM* multi_ = nullptr;
  std::thread thread_;

  std::mutex mu_;
  std::vector<Pending> queue_;       // guarded by mu_
  bool stopping_ = false;            // guarded by mu_
  // Set by Start(), before any Send; then read-only.
  std::string start_error_;
  bool started_ = false;

  // Loop-thread state.
  std::vector<Pending> incoming_;
  std::vector<std::unique_ptr<Transfer>> active_;  // added to multi_
  std::vector<std::unique_ptr<Transfer>> free_;
};

void CurlTransport::Start() {
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    start_error_ = "curl_global_init failed";
    return;
  }
  global_init_ = true;
  multi_ = curl_multi_init();
  if (multi_ == nullptr) {
    start_error_ = "curl_multi_init failed";
    return;
  }
  curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS,
                    static_cast<long>(options_.max_connections_per_host > 0
                                          ? options_.max_connections_per_host
                                          : 0));
  if (!options_.verify_tls) {
    std::fprintf(stderr,
                 "moe: warning: TLS certificate and host name verification is disabled for "
                 "this transport\n");
  }
  try {
    thread_ = std::thread([this] { Loop(); });
    started_ = true;
  } catch (const std::exception& e) {
    start_error_ = std::string("cannot start the transport thread: ") + e.what();
  }
}

CurlTransport::~CurlTransport() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) {
    curl_multi_wakeup(multi_);
    thread_.join();
  } else {
    ShutDown();  // the loop never ran; fail whatever was queued
  }
  for (auto& t : free_) curl_easy_cleanup(t->easy);
  if (multi_ != nullptr) curl_multi_cleanup(multi_);
  if (global_init_) curl_global_cleanup();
}

void CurlTransport::Send(HttpRequest request, Callback done) {
  std::unique_lock lock(mu_);
  if (stopping_ || !started_) {
    lock.unlock();
    done(Error(ErrorCode::kNetwork,
               start_error_.empty() ? std::string(kShutDown) : start_error_));
    return;
  }
  bool was_empty = queue_.empty();
  queue_.push_back(Pending{std::move(request), std::move(done)});
  lock.unlock();
  // One wakeup per batch of sends is enough: the loop drains the whole queue.
  if (was_empty) curl_multi_wakeup(multi_);
}

void CurlTransport::Loop() {
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) break;
      incoming_.swap(queue_);
    }
    for (Pending& p : incoming_) Begin(std::move(p));
    incoming_.clear();

    int running = 0;
    curl_multi_perform(multi_, &running);
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Transfer* t = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
      Finish(t, msg->data.result);
    }
    curl_multi_poll(multi_, nullptr, 0, 1000, nullptr);
  }
  ShutDown();
}

std::unique_ptr<Transfer> CurlTransport::Acquire() {
  if (!free_.empty()) {
    std::unique_ptr<Transfer> t = std::move(free_.back());
    free_.pop_back();
    return t;
  }
  CURL* easy = curl_easy_init();
  if (easy == nullptr) return nullptr;
  auto t = std::make_unique<Transfer>();
  t->easy = easy;
  // Settings that never change for this handle.
  curl_easy_setopt(easy, CURLOPT_PRIVATE, t.get());
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t->error);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, t.get());
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, t.get());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.request_timeout.count()));
  if (!options_.verify_tls) {
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  return t;
}

void CurlTransport::Release(std::unique_ptr<Transfer> t) {
  curl_slist_free_all(t->headers);
  t->headers = nullptr;
  t->request = HttpRequest();
  t->done = nullptr;
  t->response = HttpResponse();
  free_.push_back(std::move(t));
}

void CurlTransport::Begin(Pending pending) {
  std::unique_ptr<Transfer> t = Acquire();
  if (t == nullptr) {
    pending.done(Error(ErrorCode::kNetwork, "curl_easy_init failed"));
    return;
  }
  t->request = std::move(pending.request);
  t->done = std::move(pending.done);
  t->error[0] = '\0';
  CURL* easy = t->easy;
  const HttpRequest& req = t->request;

  std::string line;
  bool failed = false;
  auto append = [&](const std::string& header) {
    curl_slist* next = curl_slist_append(t->headers, header.c_str());
    if (next == nullptr) failed = true;
    else t->headers = next;
  };
  for (const auto& [name, value] : req.headers) {
    line.assign(name);
    // "Name;" is curl's spelling of a header with an empty value.
    if (value.empty()) {
      line += ';';
    } else {
      line += ": ";
      line += value;
    }
    append(line);
  }
  append("Expect:");  // no 100-continue round trip for large bodies
  // curl would otherwise claim a form body.
  if (!HasHeader(req.headers, "content-type")) append("Content-Type:");
  if (failed) {
    Complete(t.get(), Error(ErrorCode::kNetwork, "out of memory building request headers"));
    Release(std::move(t));
    return;
  }

  curl_easy_setopt(easy, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, t->headers);
  curl_easy_setopt(easy, CURLOPT_NOBODY, 0L);
  if (req.method == "GET") {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, nullptr);
  } else if (req.method == "HEAD") {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, nullptr);
  } else {
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, req.body.data());
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, req.method == "POST" ? nullptr : req.method.c_str());
  }

  CURLMcode added = curl_multi_add_handle(multi_, easy);
  if (added != CURLM_OK) {
    Complete(t.get(), Error(ErrorCode::kNetwork,
                            std::string("curl_multi_add_handle: ") + curl_multi_strerror(added)));
    Release(std::move(t));
    return;
  }
  active_.push_back(std::move(t));
}

void CurlTransport::Finish(Transfer* t, CURLcode code) {
  curl_multi_remove_handle(multi_, t->easy);
  // Take ownership back from active_ (swap-and-pop; order is irrelevant).
  std::unique_ptr<Transfer> owned;
  for (size_t i = 0; i < active_.size(); ++i) {
    if (active_[i].get() == t) {
      owned = std::move(active_[i]);
      active_[i] = std::move(active_.back());
      active_.pop_back();
      break;
    }
  }
  if (code != CURLE_OK) {
    Complete(t, ErrorFromCurl(code, *t));
  } else {
    long status = 0;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    t->response.status = static_cast<int>(status);
    Status crc = options_.check_crc32 ? CheckCrc32(t->response) : Ok();
    if (!crc) {
      Complete(t, Error(crc.error()).set_http_status(t->response.status));
    } else {
      Complete(t, std::move(t->response));
    }
  }
  if (owned) Release(std::move(owned));
}

void CurlTransport::Complete(Transfer* t, Result<HttpResponse> result) {
  Callback done = std::move(t->done);
  t->done = nullptr;
  done(std::move(result));
}

void CurlTransport::ShutDown() {
  for (auto& t : active_) {
    curl_multi_remove_handle(multi_, t->easy);
    Complete(t.get(), Error(ErrorCode::kNetwork, std::string(kShutDown)));
    Release(std::move(t));
  }
  active_.clear();
  std::vector<Pending> queued;
  {
    std::lock_guard lock(mu_);
    queued.swap(queue_);
  }
  for (Pending& p : queued) p.done(Error(ErrorCode::kNetwork, std::string(kShutDown)));
}

}  // namespace

std::unique_ptr<Transport> NewCurlTransport(const CurlOptions& options) {
  auto transport = std::make_unique<CurlTransport>(options);
  transport->Start();
  return transport;
}

}  // namespace moe
