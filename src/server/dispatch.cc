#include "server/dispatch.h"

#include <arpa/inet.h>

#include <exception>
#include <utility>

#include "moe/model.h"
#include "moe/transport.h"

namespace moe::server::internal {

namespace {

constexpr std::string_view kText = "text/plain; charset=utf-8";

// Whether `s` is empty or ":<digits>".
bool IsPortSuffix(std::string_view s) {
  if (s.empty()) return true;
  if (s.size() < 2 || s.front() != ':') return false;
  for (char c : s.substr(1)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

// Writes `error` as DynamoDB does: its status, its JSON body.
void WriteError(const Error& error, bool keep_alive, std::string_view extra, ResponseWriter* writer,
                Buffer* out) {
  std::string body = ErrorToJson(error);
  int status = HttpStatusFor(error.code());
  writer->Write({.status = status == 0 ? 500 : status,
                 .content_type = kAmzJson,
                 .body = body,
                 .close = !keep_alive,
                 .extra_headers = extra},
                out);
}

void WriteText(int status, std::string_view text, bool keep_alive, std::string_view extra,
               ResponseWriter* writer, Buffer* out, std::string_view content_type = kText) {
  writer->Write({.status = status,
                 .content_type = content_type,
                 .body = text,
                 .close = !keep_alive,
                 .amz_headers = false,
                 .extra_headers = extra},
                out);
}

}  // namespace

bool IsLoopbackHost(std::string_view host) {
  if (EqualsIgnoreCase(host, "localhost")) return true;
  std::string h(host);
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  in_addr v4;
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6;
  if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

bool IsLocalHostHeader(std::string_view host) {
  for (std::string_view name : {"localhost", "127.0.0.1", "[::1]"}) {
    if (StartsWithIgnoreCase(host, name) && IsPortSuffix(host.substr(name.size()))) return true;
  }
  return false;
}

Dispatcher::Dispatcher(const ServerOptions& options, const Handler& handler, bool loopback)
    : options_(options),
      handler_(handler),
      check_host_(options.check_host_header && loopback),
      clock_(options.clock != nullptr ? *options.clock : Clock::Real()),
      health_body_("healthy: dynamodb." + options.region + ".amazonaws.com ") {}

bool Dispatcher::OriginAllowed(std::string_view origin) const {
  if (origin.empty()) return false;
  for (const std::string& allowed : options_.cors_origins) {
    if (allowed == "*" || allowed == origin) return true;
  }
  return false;
}

bool Dispatcher::Handle(const RequestHead& head, std::string_view body, ResponseWriter* writer,
                        Buffer* out) const {
  bool keep = head.keep_alive;
  if (check_host_ && !IsLocalHostHeader(head.host)) {
    WriteText(403, "Forbidden: the Host header does not name this machine\n", keep, {}, writer,
              out);
    return keep;
  }
  std::string cors;
  if (!options_.cors_origins.empty() && OriginAllowed(head.origin)) {
    cors.reserve(160);
    cors.append("Access-Control-Allow-Origin: ").append(head.origin);
    cors.append(
        "\r\nVary: Origin\r\nAccess-Control-Expose-Headers: x-amzn-RequestId, "
        "x-amz-crc32\r\n");
  }
  if (head.path == "/metrics" && head.method == "GET" && options_.metrics) {
    std::string text = options_.metrics();
    WriteText(200, text, keep, cors, writer, out, "text/plain; version=0.0.4; charset=utf-8");
    return keep;
  }
  if (head.path != "/") {
    WriteText(404, "Not Found\n", keep, cors, writer, out);
    return keep;
  }
  if (head.method == "POST") return Api(head, body, cors, writer, out);
  if (head.method == "GET") {
    writer->Write({.status = 200,
                   .content_type = kText,
                   .body = health_body_,
                   .close = !keep,
                   .amz_headers = false,
                   .extra_headers = cors},
                  out);
    return keep;
  }
  if (head.method == "OPTIONS" && !options_.cors_origins.empty()) {
    return Preflight(head, writer, out);
  }
  cors.append(options_.cors_origins.empty() ? "Allow: GET, POST\r\n"
                                            : "Allow: GET, POST, OPTIONS\r\n");
  WriteText(405, "Method Not Allowed\n", keep, cors, writer, out);
  return keep;
}

bool Dispatcher::Preflight(const RequestHead& head, ResponseWriter* writer, Buffer* out) const {
  bool keep = head.keep_alive;
  if (!OriginAllowed(head.origin)) {
    WriteText(403, "Forbidden: origin not allowed\n", keep, {}, writer, out);
    return keep;
  }
  std::string extra;
  extra.append("Access-Control-Allow-Origin: ").append(head.origin);
  extra.append("\r\nVary: Origin\r\nAccess-Control-Allow-Methods: GET, POST, OPTIONS\r\n");
  std::string_view asked = head.Header("access-control-request-headers");
  extra.append("Access-Control-Allow-Headers: ");
  // Echo what the browser asks for; the signature, not the header list, is
  // what protects the API.
  extra.append(asked.empty() ? std::string_view("authorization, content-type, x-amz-date, "
                                                "x-amz-target, x-amz-security-token, "
                                                "x-amz-user-agent")
                             : asked);
  extra.append("\r\nAccess-Control-Max-Age: 86400\r\n");
  writer->Write({.status = 200, .close = !keep, .amz_headers = false, .extra_headers = extra}, out);
  return keep;
}

Status Dispatcher::VerifySignature(const RequestHead& head, std::string_view body) const {
  HttpRequest request;
  request.method = std::string(head.method);
  request.url.reserve(8 + head.host.size() + head.target.size());
  request.url.append("http://").append(head.host).append(head.target);
  request.headers.reserve(head.headers.size());
  for (const auto& [name, value] : head.headers) request.headers.emplace_back(name, value);
  request.body = std::string(body);
  sigv4::VerifyOptions verify;
  verify.allowed_skew = options_.signature_skew;
  return sigv4::Verify(request, options_.secrets, clock_.Now(), verify);
}

bool Dispatcher::Api(const RequestHead& head, std::string_view body, std::string_view cors,
                     ResponseWriter* writer, Buffer* out) const {
  bool keep = head.keep_alive;
  if (options_.verify_signatures) {
    Status verified = VerifySignature(head, body);
    if (!verified) {
      WriteError(verified.error(), keep, cors, writer, out);
      return keep;
    }
  }
  std::string_view target = head.amz_target;
  if (!target.starts_with(kTargetPrefix) || target.size() == kTargetPrefix.size()) {
    WriteError(Error(ErrorCode::kUnknownOperation,
                     target.empty() ? "Missing X-Amz-Target header"
                                    : "Unknown operation: " + std::string(target)),
               keep, cors, writer, out);
    return keep;
  }
  std::string_view operation = target.substr(kTargetPrefix.size());
  std::optional<Result<std::string>> result;
  try {
    result.emplace(handler_(operation, body));
  } catch (const std::exception& e) {
    result.emplace(
        Error(ErrorCode::kInternalServerError, std::string("Internal server error: ") + e.what()));
  } catch (...) {
    result.emplace(Error(ErrorCode::kInternalServerError, "Internal server error"));
  }
  if (!*result) {
    WriteError(result->error(), keep, cors, writer, out);
    return keep;
  }
  writer->Write({.status = 200,
                 .content_type = kAmzJson,
                 .body = **result,
                 .close = !keep,
                 .extra_headers = cors},
                out);
  return keep;
}

void Dispatcher::Reject(int status, std::string_view reason, ResponseWriter* writer,
                        Buffer* out) const {
  if (status == 413) {
    WriteError(Error(ErrorCode::kRequestEntityTooLarge,
                     "Request must be smaller than " + std::to_string(options_.max_body_bytes) +
                         " bytes for the operation"),
               false, {}, writer, out);
    return;
  }
  std::string text(reason);
  text += '\n';
  WriteText(status, text, false, {}, writer, out);
}

}  // namespace moe::server::internal
