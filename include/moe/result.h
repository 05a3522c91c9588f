// Result<T> and Error: how every fallible moe call reports its outcome.
//
// DynamoDB at scale throttles routinely and conditional-check failures are
// control flow, so expected failures are values, never exceptions. One error
// vocabulary serves the client, the transports and the embedded engine; it is
// turned into DynamoDB's JSON error shape in exactly one place
// (model/errors.cc).
//
//   moe::Result<moe::GetItemResponse> got = client.GetItem(req);
//   if (!got) {
//     if (got.error().code() == moe::ErrorCode::kResourceNotFound) ...
//     return got.error();             // propagate
//   }
//   use(*got);
//
// Thread safety: values; const methods are thread-safe, like std::string.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace moe {

// Error codes. The DynamoDB ones carry the service's `__type` names; see
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
enum class ErrorCode : uint8_t {
  // DynamoDB service errors (4xx).
  kAccessDenied,
  kConditionalCheckFailed,
  kIncompleteSignature,
  kItemCollectionSizeLimitExceeded,
  kLimitExceeded,
  kMissingAuthenticationToken,
  kProvisionedThroughputExceeded,
  kRequestLimitExceeded,
  kResourceInUse,
  kResourceNotFound,
  kThrottling,
  kTransactionCanceled,
  kTransactionConflict,
  kTransactionInProgress,
  kIdempotentParameterMismatch,
  kUnrecognizedClient,
  kInvalidSignature,
  kSerialization,
  kUnknownOperation,
  kValidation,
  kRequestEntityTooLarge,
  kExpiredIterator,  // Kinesis: a shard iterator older than five minutes
  // DynamoDB service errors (5xx).
  kInternalServerError,
  kServiceUnavailable,
  // Errors raised on this side of the wire.
  kNetwork,          // connect/reset/DNS failure; nothing or something may have been applied
  kTimeout,          // connect or request deadline passed
  kBadResponse,      // unparseable body, CRC32 mismatch, unexpected shape
  kUnknownService,   // a __type moe does not know; the name is kept in type_name()
  kInvalidArgument,  // a caller passed something moe refuses before sending
  kIo,               // local file or storage failure
  kRetriesExhausted,
};

// The `__type` short name for `code` (e.g. "ResourceNotFoundException").
std::string_view ErrorCodeName(ErrorCode code);

// Reverse of ErrorCodeName; accepts the long form with a namespace prefix
// ("com.amazonaws.dynamodb.v20120810#ValidationException"). Unknown names
// give kUnknownService.
ErrorCode ErrorCodeFromName(std::string_view type);

// The HTTP status DynamoDB uses for `code` (400, 413, 500, 503, or 0 for the
// client-side codes).
int HttpStatusFor(ErrorCode code);

// What the server attached to an error: the item that failed a condition
// (ReturnValuesOnConditionCheckFailure) and a transaction's cancellation
// reasons. Defined in value.h.
struct ErrorDetail;

// One error: a code, a message, and what the server said about it.
class Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The service's type name; for kUnknownService the name the server sent.
  std::string_view type_name() const;
  const std::string& request_id() const { return request_id_; }
  int http_status() const { return http_status_; }

  // Whether an identical request may succeed later. Follows AWS standard
  // retry mode: throttling errors, 5xx, transient network failures,
  // timeouts, TransactionConflict and CRC32 mismatches are retryable.
  bool retryable() const;
  // Throttling errors get a longer base delay in the retry policy.
  bool throttling() const;

  // "ValidationException: One or more parameter values were invalid"
  std::string ToString() const;

  Error& set_request_id(std::string id) {
    request_id_ = std::move(id);
    return *this;
  }
  Error& set_http_status(int status) {
    http_status_ = status;
    return *this;
  }
  Error& set_type_name(std::string name) {
    raw_type_ = std::move(name);
    return *this;
  }
  // Null when the server attached nothing.
  const ErrorDetail* detail() const { return detail_.get(); }
  Error& set_detail(std::shared_ptr<const ErrorDetail> detail) {
    detail_ = std::move(detail);
    return *this;
  }

  // Named factories for the common cases.
  static Error Validation(std::string message) {
    return {ErrorCode::kValidation, std::move(message)};
  }
  static Error InvalidArgument(std::string message) {
    return {ErrorCode::kInvalidArgument, std::move(message)};
  }
  static Error BadResponse(std::string message) {
    return {ErrorCode::kBadResponse, std::move(message)};
  }
  static Error ResourceNotFound(std::string message) {
    return {ErrorCode::kResourceNotFound, std::move(message)};
  }

 private:
  ErrorCode code_;
  std::string message_;
  std::string request_id_;
  std::string raw_type_;
  std::shared_ptr<const ErrorDetail> detail_;
  int http_status_ = 0;
};

namespace internal {
[[noreturn]] void DieOnBadAccess(const Error* error);
}  // namespace internal

// Either a T or an Error, spelled like std::expected. value() on an error
// aborts with the error's message; it never returns garbage or throws.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT
  template <typename U>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, T> &&
           !std::is_same_v<std::decay_t<U>, Error> && !std::is_same_v<std::decay_t<U>, Result>)
      Result(U&& value)
      : v_(std::in_place_index<0>, std::forward<U>(value)) {}  // NOLINT

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    Check();
    return std::get<0>(v_);
  }
  const T& value() const& {
    Check();
    return std::get<0>(v_);
  }
  T&& value() && {
    Check();
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // Precondition: !has_value(). Aborts otherwise.
  const Error& error() const& {
    if (has_value()) internal::DieOnBadAccess(nullptr);
    return std::get<1>(v_);
  }
  Error&& error() && {
    if (has_value()) internal::DieOnBadAccess(nullptr);
    return std::get<1>(std::move(v_));
  }

  template <typename U>
  T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(v_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  void Check() const {
    if (!has_value()) internal::DieOnBadAccess(&std::get<1>(v_));
  }
  std::variant<T, Error> v_;
};

// Result of a call that returns nothing on success.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design

  bool has_value() const { return !error_.has_value(); }
  explicit operator bool() const { return has_value(); }
  void value() const {
    if (error_) internal::DieOnBadAccess(&*error_);
  }
  const Error& error() const& {
    if (!error_) internal::DieOnBadAccess(nullptr);
    return *error_;
  }
  Error&& error() && {
    if (!error_) internal::DieOnBadAccess(nullptr);
    return std::move(*error_);
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

inline Status Ok() { return {}; }

}  // namespace moe

// Propagates an error: `MOE_TRY(auto x, Compute());` or `MOE_TRY_STATUS(Do());`
#define MOE_CONCAT_INNER_(a, b) a##b
#define MOE_CONCAT_(a, b) MOE_CONCAT_INNER_(a, b)
#define MOE_TRY_IMPL_(tmp, decl, expr)     \
  auto tmp = (expr);                       \
  if (!tmp) return std::move(tmp).error(); \
  decl = std::move(tmp).value()
#define MOE_TRY(decl, expr) MOE_TRY_IMPL_(MOE_CONCAT_(moe_try_, __LINE__), decl, expr)
#define MOE_TRY_STATUS(expr)                                 \
  do {                                                       \
    auto moe_status_ = (expr);                               \
    if (!moe_status_) return std::move(moe_status_).error(); \
  } while (0)
