// moe_load: a closed-loop load generator for any DynamoDB endpoint (moe serve,
// dynalite, DynamoDB Local) over plain HTTP/1.1 keep-alive.
//
//   moe_load --endpoint http://127.0.0.1:8000 --op get --in-flight 16 --duration-seconds 5
//
// One thread, one epoll loop, non-blocking sockets: --in-flight connections,
// each with exactly one outstanding request, so the client costs little CPU
// and the server sees a fixed concurrency. Requests are formatted straight
// into the socket buffer; the SigV4 Authorization and X-Amz-Date headers are
// computed with moe::sigv4::Signer once per second and reused by every
// request of that second. The signature therefore matches only the body it
// was computed for: fine for servers that merely require the header
// (dynalite, moe serve without --verify-signatures), not for real DynamoDB.
//
// Workloads (table: --table, hash key pk:S, range key sk:S):
//   put         PutItem of ~100-byte items, pk = <prefix><n> for n = --start, --start+1, ...
//   batch       BatchWriteItem of 25 such items (new keys, as put); every item must be
//               processed (UnprocessedItems empty); ops counts requests, not items
//   get         GetItem of pk = <prefix><random n in [0, --keys)>, sk = "0"; a miss is an error
//   load-query  PutItem of --items items into partition pk = "q" (sk = 000000 ...)
//   query       Query pk = "q", one page; checks that Count equals --items
// The run stops after --duration-seconds or after --requests requests,
// whichever comes first, then waits (at most 10 s) for the answers in flight.
//
// --via client drives a real moe::DynamoDbClient instead (curl transport,
// SigV4 signing of every request, retries, the model codec both ways):
// put and get through CallAsync with --in-flight calls outstanding, and
// batch through moe::BatchWriter (max_in_flight = --in-flight), which
// flushes --batch-items items at a time (default 100 requests' worth; ops
// counts BatchWriteItem requests and items_per_s is printed too). The
// client's threads are in the process, so client_cpu_us_per_op is the whole
// client's CPU per call (getrusage). --via raw (default) is the epoll loop.
//
// Output: one line of key=value pairs (ops/s, p50/p99 latency, client CPU per
// op from getrusage) that scripts parse; exit status 1 when any request failed.
//
// Not thread-safe; not a library. Linux only (epoll).

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <condition_variable>
#include <mutex>

#include "moe/batch.h"
#include "moe/client.h"
#include "moe/clock.h"
#include "moe/credentials.h"
#include "moe/sigv4.h"
#include "moe/transport.h"

namespace moe::load {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr std::chrono::seconds kDrainLimit{10};

struct Options {
  std::string endpoint = "http://127.0.0.1:8000";
  std::string op = "get";
  std::string table = "bench";
  std::string key_prefix = "k";
  int in_flight = 16;
  double duration_seconds = 5;
  int64_t requests = 0;  // 0: no cap
  int64_t keys = 10000;
  int64_t start = 0;
  int64_t items = 1000;
  std::string via = "raw";
  int64_t batch_items = 0;  // --via client, batch: items per Flush (0: 100 requests' worth)
};

[[noreturn]] void Usage(const char* why) {
  std::fprintf(stderr,
               "moe_load: %s\n"
               "usage: moe_load --endpoint http://HOST:PORT --op put|batch|get|query|load-query\n"
               "  [--in-flight N=16] [--duration-seconds S=5] [--requests N=0 (no cap)]\n"
               "  [--table bench] [--key-prefix k] [--keys 10000] [--start 0] [--items 1000]\n"
               "  [--via raw|client] [--batch-items N]\n",
               why);
  std::exit(2);
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (flag == "-h" || flag == "--help") Usage("help");
    if (i + 1 >= argc) Usage("missing value after a flag");
    std::string value = argv[++i];
    auto num = [&] {
      char* end = nullptr;
      double d = std::strtod(value.c_str(), &end);
      if (end == value.c_str() || *end != '\0' || d < 0) Usage("bad number");
      return d;
    };
    if (flag == "--endpoint")
      o.endpoint = value;
    else if (flag == "--op")
      o.op = value;
    else if (flag == "--table")
      o.table = value;
    else if (flag == "--key-prefix")
      o.key_prefix = value;
    else if (flag == "--in-flight")
      o.in_flight = static_cast<int>(num());
    else if (flag == "--duration-seconds")
      o.duration_seconds = num();
    else if (flag == "--requests")
      o.requests = static_cast<int64_t>(num());
    else if (flag == "--keys")
      o.keys = static_cast<int64_t>(num());
    else if (flag == "--start")
      o.start = static_cast<int64_t>(num());
    else if (flag == "--items")
      o.items = static_cast<int64_t>(num());
    else if (flag == "--via")
      o.via = value;
    else if (flag == "--batch-items")
      o.batch_items = static_cast<int64_t>(num());
    else
      Usage("unknown flag");
  }
  if (o.op != "put" && o.op != "batch" && o.op != "get" && o.op != "query" &&
      o.op != "load-query") {
    Usage("bad --op");
  }
  if (o.via != "raw" && o.via != "client") Usage("bad --via");
  if (o.via == "client" && o.op != "put" && o.op != "get" && o.op != "batch") {
    Usage("--via client supports put, get and batch");
  }
  if (o.in_flight < 1 || o.in_flight > 1024) Usage("--in-flight must be 1..1024");
  if (o.duration_seconds <= 0 || o.duration_seconds > 600)
    Usage("--duration-seconds must be (0, 600]");
  if (o.keys < 1) Usage("--keys must be at least 1");
  if (o.op == "load-query") o.requests = o.requests == 0 ? o.items : std::min(o.requests, o.items);
  return o;
}

// "http://host:port/..." -> host, port.
bool ParseEndpoint(std::string_view url, std::string& host, std::string& port) {
  if (!url.starts_with("http://")) return false;
  url.remove_prefix(7);
  url = url.substr(0, url.find('/'));
  size_t colon = url.rfind(':');
  if (colon == std::string_view::npos) {
    host = url;
    port = "80";
  } else {
    host = url.substr(0, colon);
    port = url.substr(colon + 1);
  }
  return !host.empty() && !port.empty();
}

// Builds request bodies and the fixed part of the request head.
class Workload {
 public:
  explicit Workload(const Options& o) : o_(o), next_(o.start), rng_(12345) {
    if (o.op == "put")
      target_ = "PutItem";
    else if (o.op == "get")
      target_ = "GetItem";
    else if (o.op == "query")
      target_ = "Query";
    else if (o.op == "batch")
      target_ = "BatchWriteItem";
    else
      target_ = "PutItem";
  }

  std::string_view target() const { return target_; }

  // Writes the JSON body of the next request into `out` (cleared first).
  void NextBody(std::string& out) {
    out.clear();
    char key[64];
    if (o_.op == "put") {
      std::snprintf(key, sizeof key, "%s%lld", o_.key_prefix.c_str(),
                    static_cast<long long>(next_++));
      AppendPut(out, key, "0");
    } else if (o_.op == "batch") {
      out += R"({"RequestItems":{")";
      out += o_.table;
      out += R"(":[)";
      for (int i = 0; i < kBatchItems; ++i) {
        std::snprintf(key, sizeof key, "%s%lld", o_.key_prefix.c_str(),
                      static_cast<long long>(next_++));
        if (i > 0) out += ',';
        out += R"({"PutRequest":{"Item":)";
        AppendItem(out, key, "0");
        out += "}}";
      }
      out += "]}}";
    } else if (o_.op == "load-query") {
      char sk[32];
      std::snprintf(sk, sizeof sk, "%06lld", static_cast<long long>(next_++));
      AppendPut(out, "q", sk);
    } else if (o_.op == "get") {
      std::snprintf(
          key, sizeof key, "%s%lld", o_.key_prefix.c_str(),
          static_cast<long long>(std::uniform_int_distribution<int64_t>(0, o_.keys - 1)(rng_)));
      out += R"({"TableName":")";
      out += o_.table;
      out += R"(","Key":{"pk":{"S":")";
      out += key;
      out += R"("},"sk":{"S":"0"}}})";
    } else {
      out += R"({"TableName":")";
      out += o_.table;
      out +=
          R"(","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"q"}}})";
    }
  }

  // A get must find its item (the keys were loaded beforehand); a query must
  // return --items items (one page).
  bool CheckBody(std::string_view body) const {
    if (o_.op == "get") return body.find("\"Item\"") != std::string_view::npos;
    if (o_.op == "batch") return body.find("\"UnprocessedItems\":{}") != std::string_view::npos;
    if (o_.op != "query") return true;
    // memmem, not string_view::find: find stops at every '"' of the 100 KB
    // body (memchr on the first byte, then memcmp), which cost this client
    // 140 us per query, more than the server.
    constexpr std::string_view kCount = "\"Count\":";
    const void* found = memmem(body.data(), body.size(), kCount.data(), kCount.size());
    if (found == nullptr) return false;
    int64_t count = -1;
    const char* begin = static_cast<const char*>(found) + kCount.size();
    std::from_chars(begin, body.data() + body.size(), count);
    return count == o_.items;
  }

 private:
  void AppendPut(std::string& out, const char* pk, const char* sk) const {
    out += R"({"TableName":")";
    out += o_.table;
    out += R"(","Item":)";
    AppendItem(out, pk, sk);
    out += '}';
  }

  static void AppendItem(std::string& out, const char* pk, const char* sk) {
    // pk + sk + data (72 characters): about 100 bytes as DynamoDB counts item size.
    out += R"({"pk":{"S":")";
    out += pk;
    out += R"("},"sk":{"S":")";
    out += sk;
    out +=
        R"("},"data":{"S":"the quick brown fox jumps over the lazy dog 0123456789 abcdefghijklmnopq"}})";
  }

  static constexpr int kBatchItems = 25;

  const Options& o_;
  std::string target_;
  int64_t next_;
  std::mt19937_64 rng_;
};

struct Conn {
  int fd = -1;
  std::string out;  // request bytes not yet written
  size_t out_off = 0;
  std::string in;  // response bytes read so far
  SteadyClock::time_point sent;
  bool busy = false;
  bool want_write = false;
};

class Runner {
 public:
  explicit Runner(const Options& o) : o_(o), workload_(o), signer_("us-east-1", "dynamodb") {}

  int Run() {
    std::string host, port;
    if (!ParseEndpoint(o_.endpoint, host, port)) Usage("--endpoint must be http://HOST:PORT");
    host_header_ = host + ":" + port;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* ai = nullptr;
    if (int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &ai); rc != 0) {
      std::fprintf(stderr, "moe_load: %s: %s\n", host.c_str(), gai_strerror(rc));
      return 2;
    }
    addr_.assign(reinterpret_cast<const char*>(ai->ai_addr), ai->ai_addrlen);
    family_ = ai->ai_family;
    freeaddrinfo(ai);

    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    conns_.resize(o_.in_flight);
    for (Conn& c : conns_) {
      if (!Connect(c)) return 2;
    }
    latencies_ns_.reserve(1 << 20);
    rusage ru0{};
    getrusage(RUSAGE_SELF, &ru0);
    start_ = SteadyClock::now();
    deadline_ = start_ + std::chrono::duration_cast<SteadyClock::duration>(
                             std::chrono::duration<double>(o_.duration_seconds));
    for (Conn& c : conns_) Issue(c);

    epoll_event events[256];
    while (in_flight_ > 0) {
      int n = epoll_wait(epoll_, events, 256, 50);
      if (n < 0 && errno != EINTR) {
        std::perror("moe_load: epoll_wait");
        return 2;
      }
      for (int i = 0; i < n; ++i) {
        Conn& c = *static_cast<Conn*>(events[i].data.ptr);
        if (events[i].events & EPOLLOUT) Flush(c);
        if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) ReadSome(c);
      }
      SteadyClock::time_point now = SteadyClock::now();
      if (now >= deadline_) stopping_ = true;
      if (now >= deadline_ + kDrainLimit) {
        std::fprintf(stderr, "moe_load: %d requests still unanswered after the drain limit\n",
                     in_flight_);
        errors_ += in_flight_;
        break;
      }
    }
    SteadyClock::time_point end = SteadyClock::now();
    rusage ru1{};
    getrusage(RUSAGE_SELF, &ru1);
    for (Conn& c : conns_) {
      if (c.fd >= 0) close(c.fd);
    }
    close(epoll_);
    Report(std::chrono::duration<double>(end - start_).count(), CpuSeconds(ru1) - CpuSeconds(ru0));
    return errors_ == 0 ? 0 : 1;
  }

 private:
  static double CpuSeconds(const rusage& r) {
    return r.ru_utime.tv_sec + r.ru_stime.tv_sec + (r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
  }

  bool Connect(Conn& c) {
    if (c.fd >= 0) {
      epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
      close(c.fd);
    }
    c.fd = socket(family_, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c.fd < 0 ||
        connect(c.fd, reinterpret_cast<const sockaddr*>(addr_.data()), addr_.size()) != 0) {
      std::fprintf(stderr, "moe_load: connect to %s: %s\n", o_.endpoint.c_str(),
                   std::strerror(errno));
      return false;
    }
    int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(c.fd, F_SETFL, fcntl(c.fd, F_GETFL) | O_NONBLOCK);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = &c;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, c.fd, &ev);
    c.want_write = false;
    c.in.clear();
    return true;
  }

  // Re-signs at most once per second; see the file comment.
  void RefreshSignature(SteadyClock::time_point now) {
    if (!auth_.empty() && now - signed_at_ < std::chrono::seconds(1)) return;
    HttpRequest req;
    req.url = o_.endpoint;
    req.headers.push_back({"content-type", "application/x-amz-json-1.0"});
    req.headers.push_back({"x-amz-target", "DynamoDB_20120810." + std::string(workload_.target())});
    req.body = "{}";  // a stand-in; see the file comment
    Credentials creds{.access_key_id = "AKIDLOAD", .secret_access_key = "load-secret"};
    if (Status s = signer_.Sign(req, creds, Clock::Real().Now()); !s) {
      std::fprintf(stderr, "moe_load: signing failed: %s\n", s.error().message().c_str());
      std::exit(2);
    }
    auth_.clear();
    for (const auto& [name, value] : req.headers) {
      if (strcasecmp(name.c_str(), "authorization") == 0 ||
          strcasecmp(name.c_str(), "x-amz-date") == 0) {
        auth_ += name + ": " + value + "\r\n";
      }
    }
    signed_at_ = now;
  }

  void Issue(Conn& c) {
    if (stopping_ || (o_.requests > 0 && issued_ >= o_.requests)) return;
    SteadyClock::time_point now = SteadyClock::now();
    if (now >= deadline_) {
      stopping_ = true;
      return;
    }
    RefreshSignature(now);
    workload_.NextBody(body_);
    c.out.clear();
    c.out_off = 0;
    c.out += "POST / HTTP/1.1\r\nHost: ";
    c.out += host_header_;
    c.out += "\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.";
    c.out += workload_.target();
    c.out += "\r\n";
    c.out += auth_;
    char length[32];
    auto [end, ec] = std::to_chars(length, length + sizeof length, body_.size());
    c.out += "Content-Length: ";
    c.out.append(length, end);
    c.out += "\r\n\r\n";
    c.out += body_;
    c.sent = now;
    c.busy = true;
    ++issued_;
    ++in_flight_;
    Flush(c);
  }

  void Flush(Conn& c) {
    while (c.out_off < c.out.size()) {
      ssize_t n = write(c.fd, c.out.data() + c.out_off, c.out.size() - c.out_off);
      if (n > 0) {
        c.out_off += static_cast<size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && errno == EAGAIN) {
        SetWantWrite(c, true);
        return;
      } else {
        Fail(c, "write failed");
        return;
      }
    }
    SetWantWrite(c, false);
  }

  void SetWantWrite(Conn& c, bool want) {
    if (c.want_write == want) return;
    epoll_event ev{};
    ev.events = want ? (EPOLLIN | EPOLLOUT) : EPOLLIN;
    ev.data.ptr = &c;
    epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev);
    c.want_write = want;
  }

  void ReadSome(Conn& c) {
    char buf[65536];
    for (;;) {
      ssize_t n = read(c.fd, buf, sizeof buf);
      if (n > 0) {
        c.in.append(buf, static_cast<size_t>(n));
        if (static_cast<size_t>(n) < sizeof buf) break;
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && errno == EAGAIN) {
        break;
      } else {
        Fail(c, n == 0 ? "server closed the connection" : "read failed");
        return;
      }
    }
    TryComplete(c);
  }

  // Parses one response from c.in when it is complete (Content-Length framing,
  // which both dynalite and moe serve use).
  void TryComplete(Conn& c) {
    size_t head_end = c.in.find("\r\n\r\n");
    if (head_end == std::string::npos) return;
    std::string_view head(c.in.data(), head_end);
    int status = 0;
    if (head.size() > 12) std::from_chars(head.data() + 9, head.data() + 12, status);
    size_t length = 0;
    bool have_length = false;
    for (size_t pos = head.find("\r\n"); pos != std::string_view::npos;
         pos = head.find("\r\n", pos + 2)) {
      std::string_view line = head.substr(pos + 2);
      if (line.size() > 15 && strncasecmp(line.data(), "content-length:", 15) == 0) {
        size_t v = 15;
        while (v < line.size() && line[v] == ' ') ++v;
        std::from_chars(line.data() + v, line.data() + line.size(), length);
        have_length = true;
        break;
      }
    }
    if (!have_length) {
      Fail(c, "response without Content-Length");
      return;
    }
    size_t total = head_end + 4 + length;
    if (c.in.size() < total) return;
    std::string_view body(c.in.data() + head_end + 4, length);
    bool ok = status == 200 && workload_.CheckBody(body);
    if (!ok && errors_ < 3) {
      std::fprintf(stderr, "moe_load: HTTP %d: %.*s\n", status,
                   static_cast<int>(std::min<size_t>(body.size(), 300)), body.data());
    }
    Complete(c, ok);
    c.in.erase(0, total);
    Issue(c);
  }

  void Complete(Conn& c, bool ok) {
    c.busy = false;
    --in_flight_;
    if (ok) {
      latencies_ns_.push_back(
          std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now() - c.sent)
              .count());
    } else {
      ++errors_;
    }
  }

  void Fail(Conn& c, const char* what) {
    if (errors_ < 3) std::fprintf(stderr, "moe_load: %s\n", what);
    if (c.busy) Complete(c, false);
    if (!Connect(c)) {
      stopping_ = true;
      return;
    }
    Issue(c);
  }

  void Report(double seconds, double cpu_seconds) {
    std::sort(latencies_ns_.begin(), latencies_ns_.end());
    auto pct = [&](double p) -> double {
      if (latencies_ns_.empty()) return 0;
      size_t i = static_cast<size_t>(p * static_cast<double>(latencies_ns_.size() - 1));
      return static_cast<double>(latencies_ns_[i]) / 1000.0;
    };
    size_t ops = latencies_ns_.size();
    std::printf(
        "op=%s in_flight=%d ops=%zu errors=%lld seconds=%.3f ops_per_s=%.0f p50_us=%.1f "
        "p99_us=%.1f client_cpu_s=%.3f client_cpu_us_per_op=%.2f\n",
        o_.op.c_str(), o_.in_flight, ops, static_cast<long long>(errors_), seconds,
        seconds > 0 ? static_cast<double>(ops) / seconds : 0.0, pct(0.5), pct(0.99), cpu_seconds,
        ops > 0 ? cpu_seconds * 1e6 / static_cast<double>(ops) : 0.0);
  }

  const Options& o_;
  Workload workload_;
  sigv4::Signer signer_;
  std::string host_header_;
  std::string addr_;
  int family_ = AF_INET;
  int epoll_ = -1;
  std::vector<Conn> conns_;
  std::string body_;
  std::string auth_;
  SteadyClock::time_point signed_at_;
  SteadyClock::time_point start_;
  SteadyClock::time_point deadline_;
  bool stopping_ = false;
  int64_t issued_ = 0;
  int in_flight_ = 0;
  int64_t errors_ = 0;
  std::vector<int64_t> latencies_ns_;
};

// ------------------------------------------------------------ --via client

double CpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

Item BenchItem(const std::string& pk) {
  return Item{{"pk", pk},
              {"sk", "0"},
              {"data", "the quick brown fox jumps over the lazy dog 0123456789 abcdefghijklmnopq"}};
}

struct ClientRun {
  std::mutex mu;
  std::condition_variable cv;
  int in_flight = 0;
  bool stopping = false;
  int64_t issued = 0;
  int64_t next_key = 0;
  int64_t errors = 0;
  std::vector<int64_t> latencies_ns;
  std::mt19937_64 rng{12345};
};

// put/get: --in-flight calls outstanding; each completion issues the next.
void IssueCall(const Options& o, DynamoDbClient& client, ClientRun& run) {
  SteadyClock::time_point sent = SteadyClock::now();
  auto done = [&o, &client, &run, sent](bool ok, const Error* error) {
    int64_t ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now() - sent).count();
    std::unique_lock lock(run.mu);
    if (ok) {
      run.latencies_ns.push_back(ns);
    } else if (++run.errors <= 3) {
      std::fprintf(stderr, "moe_load: %s\n",
                   error != nullptr ? error->ToString().c_str() : "get found no item");
    }
    bool more = !run.stopping && (o.requests == 0 || run.issued < o.requests);
    if (more) {
      ++run.issued;
      lock.unlock();
      IssueCall(o, client, run);
      return;
    }
    --run.in_flight;
    run.cv.notify_all();
  };
  std::string pk;
  {
    std::lock_guard lock(run.mu);
    int64_t n = o.op == "put" ? run.next_key++
                              : std::uniform_int_distribution<int64_t>(0, o.keys - 1)(run.rng);
    pk = o.key_prefix + std::to_string(n);
  }
  if (o.op == "put") {
    PutItemRequest req{.table_name = o.table, .item = BenchItem(pk)};
    client.CallAsync(
        req, [done](Result<PutItemResponse> r) { done(r.has_value(), r ? nullptr : &r.error()); });
  } else {
    GetItemRequest req{.table_name = o.table, .key = Item{{"pk", pk}, {"sk", "0"}}};
    client.CallAsync(req, [done](Result<GetItemResponse> r) {
      done(r.has_value() && r->item.has_value(), r ? nullptr : &r.error());
    });
  }
}

int RunClient(const Options& o) {
  ClientOptions options;
  options.endpoint = o.endpoint;
  options.region = "us-east-1";
  options.credentials = NewStaticCredentialsProvider(
      Credentials{.access_key_id = "AKIDBENCH", .secret_access_key = "bench-secret"});
  options.http.max_connections_per_host = std::max(o.in_flight, 1);
  Result<std::unique_ptr<DynamoDbClient>> created = DynamoDbClient::Create(options);
  if (!created) {
    std::fprintf(stderr, "moe_load: %s\n", created.error().ToString().c_str());
    return 1;
  }
  DynamoDbClient& client = **created;
  ClientRun run;
  run.next_key = o.start;
  auto deadline_of = [&](SteadyClock::time_point start) {
    return start + std::chrono::duration_cast<SteadyClock::duration>(
                       std::chrono::duration<double>(o.duration_seconds));
  };
  double cpu0 = CpuSeconds();
  SteadyClock::time_point start = SteadyClock::now();
  SteadyClock::time_point deadline = deadline_of(start);
  int64_t items = 0;
  if (o.op == "batch") {
    BatchOptions batch;
    batch.max_in_flight = o.in_flight;
    batch.consumed_capacity = false;
    batch.key_names[o.table] = KeyNames{"pk", "sk"};
    BatchWriter writer(client, batch);
    int64_t per_flush = o.batch_items > 0 ? o.batch_items : 25 * 100;
    while (SteadyClock::now() < deadline && (o.requests == 0 || run.issued < o.requests)) {
      for (int64_t i = 0; i < per_flush; ++i) {
        writer.Put(o.table, BenchItem(o.key_prefix + std::to_string(run.next_key++)));
      }
      SteadyClock::time_point sent = SteadyClock::now();
      Result<BatchWriteResult> r = writer.Flush();
      int64_t ns =
          std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now() - sent).count();
      if (!r) {
        std::fprintf(stderr, "moe_load: %s\n", r.error().ToString().c_str());
        return 1;
      }
      run.issued += static_cast<int64_t>(r->requests);
      run.errors += static_cast<int64_t>(r->failed.size());
      items += static_cast<int64_t>(r->succeeded);
      // One latency sample per request: the flush's time spread over its rounds.
      for (size_t i = 0; i < r->requests; ++i) {
        run.latencies_ns.push_back(ns * o.in_flight / static_cast<int64_t>(r->requests));
      }
    }
  } else {
    std::unique_lock lock(run.mu);
    for (int i = 0; i < o.in_flight && (o.requests == 0 || run.issued < o.requests); ++i) {
      ++run.issued;
      ++run.in_flight;
      lock.unlock();
      IssueCall(o, client, run);
      lock.lock();
    }
    run.cv.wait_until(lock, deadline, [&] { return run.in_flight == 0; });
    run.stopping = true;
    run.cv.wait_for(lock, kDrainLimit, [&] { return run.in_flight == 0; });
  }
  double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  double cpu = CpuSeconds() - cpu0;
  std::unique_lock lock(run.mu);
  std::vector<int64_t>& lat = run.latencies_ns;
  std::sort(lat.begin(), lat.end());
  auto pct = [&](double p) -> double {
    if (lat.empty()) return 0;
    return static_cast<double>(lat[static_cast<size_t>(p * static_cast<double>(lat.size() - 1))]) /
           1000.0;
  };
  size_t ops = lat.size();
  std::printf(
      "op=%s via=client in_flight=%d ops=%zu errors=%lld seconds=%.3f ops_per_s=%.0f "
      "p50_us=%.1f p99_us=%.1f client_cpu_s=%.3f client_cpu_us_per_op=%.2f",
      o.op.c_str(), o.in_flight, ops, static_cast<long long>(run.errors), seconds,
      seconds > 0 ? static_cast<double>(ops) / seconds : 0.0, pct(0.5), pct(0.99), cpu,
      ops > 0 ? cpu * 1e6 / static_cast<double>(ops) : 0.0);
  if (o.op == "batch") {
    std::printf(" items=%lld items_per_s=%.0f", static_cast<long long>(items),
                seconds > 0 ? static_cast<double>(items) / seconds : 0.0);
  }
  std::printf("\n");
  return run.errors == 0 && ops > 0 ? 0 : 1;
}

}  // namespace
}  // namespace moe::load

int main(int argc, char** argv) {
  moe::load::Options options = moe::load::ParseArgs(argc, argv);
  if (options.via == "client") return moe::load::RunClient(options);
  moe::load::Runner runner(options);
  return runner.Run();
}
