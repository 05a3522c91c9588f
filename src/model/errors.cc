// The one place where an Error becomes DynamoDB's JSON error body and back.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/CommonErrors.html
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html

#include <memory>

#include "model/codec.h"

namespace moe {

using internal::JsonDocument;
using internal::JsonValue;
using internal::JsonWriter;
using internal::View;

namespace {

// The namespace DynamoDB puts before each error name in `__type`. Request
// validation and the front end's authentication and protocol errors come
// from shared AWS layers, not from DynamoDB itself.
std::string_view TypePrefix(ErrorCode code) {
  switch (code) {
    case ErrorCode::kValidation:
      return "com.amazon.coral.validate#";
    case ErrorCode::kAccessDenied:
    case ErrorCode::kIncompleteSignature:
    case ErrorCode::kInvalidSignature:
    case ErrorCode::kMissingAuthenticationToken:
    case ErrorCode::kSerialization:
    case ErrorCode::kUnknownOperation:
    case ErrorCode::kUnrecognizedClient:
      return "com.amazon.coral.service#";
    case ErrorCode::kThrottling:
      return "com.amazon.coral.availability#";
    default:
      return "com.amazonaws.dynamodb.v20120810#";
  }
}

// TransactionCanceledException spells its message with a capital M.
std::string_view MessageKey(ErrorCode code) {
  return code == ErrorCode::kTransactionCanceled ? "Message" : "message";
}

std::string Snippet(std::string_view body) {
  constexpr size_t kMax = 200;
  if (body.size() <= kMax) return std::string(body);
  return std::string(body.substr(0, kMax)) + "...";
}

// The error for a body that says nothing usable: judged by the status alone.
Error FromStatus(int http_status, std::string_view body, std::string message) {
  std::string detail = message.empty() ? Snippet(body) : std::move(message);
  std::string suffix = detail.empty() ? std::string() : ": " + detail;
  if (http_status == 413)
    return Error(ErrorCode::kRequestEntityTooLarge, "Request entity too large" + suffix);
  if (http_status == 500)
    return Error(ErrorCode::kInternalServerError, "Internal server error" + suffix);
  if (http_status == 503)
    return Error(ErrorCode::kServiceUnavailable, "Service unavailable" + suffix);
  std::string text =
      "HTTP " + std::to_string(http_status) + " without a DynamoDB error body" + suffix;
  if (http_status >= 500) return Error(ErrorCode::kUnknownService, std::move(text));
  return Error::BadResponse(std::move(text));
}

std::string StringMember(const JsonValue& obj, std::string_view name) {
  const JsonValue* v = internal::Member(obj, name);
  return v != nullptr && v->IsString() ? std::string(View(*v)) : std::string();
}

// Server-sent detail is best effort: a malformed Item is dropped, the error kept.
std::optional<Item> ItemMember(const JsonValue& obj) {
  const JsonValue* v = internal::Member(obj, "Item");
  if (v == nullptr || !v->IsObject()) return std::nullopt;
  Result<Map> item = internal::AttributeMapFromJson(*v);
  if (!item) return std::nullopt;
  return std::move(item).value();
}

}  // namespace

std::string ErrorToJson(const Error& error) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("__type");
  std::string type(TypePrefix(error.code()));
  type += error.type_name();
  w.String(type);
  w.Key(MessageKey(error.code()));
  w.String(error.message());
  if (const ErrorDetail* detail = error.detail()) {
    if (detail->item) {
      w.Key("Item");
      w.AttributeMap(*detail->item);
    }
    if (!detail->cancellation_reasons.empty()) {
      w.Key("CancellationReasons");
      w.BeginArray();
      for (const CancellationReason& r : detail->cancellation_reasons) {
        w.BeginObject();
        w.Key("Code");
        w.String(r.code);
        if (!r.message.empty()) {
          w.Key("Message");
          w.String(r.message);
        }
        if (r.item) {
          w.Key("Item");
          w.AttributeMap(*r.item);
        }
        w.EndObject();
      }
      w.EndArray();
    }
    if (!detail->throttling_reasons.empty()) {
      w.Key("ThrottlingReasons");
      w.BeginArray();
      for (const ThrottlingReason& r : detail->throttling_reasons) {
        w.BeginObject();
        w.Key("reason");
        w.String(r.reason);
        w.Key("resource");
        w.String(r.resource);
        w.EndObject();
      }
      w.EndArray();
    }
  }
  w.EndObject();
  return out;
}

Error ErrorFromResponse(int http_status, std::string_view body, std::string_view request_id) {
  JsonDocument doc;
  bool is_object = !body.empty() && internal::ParseJson(body, &doc) && doc.IsObject();
  const JsonValue* type = is_object ? internal::Member(doc, "__type") : nullptr;
  std::string message;
  if (is_object) {
    message = StringMember(doc, "message");
    if (message.empty()) message = StringMember(doc, "Message");
  }
  if (type == nullptr || !type->IsString() || type->GetStringLength() == 0) {
    Error e = FromStatus(http_status, body, std::move(message));
    e.set_http_status(http_status).set_request_id(std::string(request_id));
    return e;
  }

  std::string_view type_name = View(*type);
  ErrorCode code = ErrorCodeFromName(type_name);
  Error error(code, std::move(message));
  error.set_http_status(http_status).set_request_id(std::string(request_id));
  if (code == ErrorCode::kUnknownService) {
    size_t hash = type_name.rfind('#');
    error.set_type_name(
        std::string(hash == std::string_view::npos ? type_name : type_name.substr(hash + 1)));
  }

  auto detail = std::make_shared<ErrorDetail>();
  detail->item = ItemMember(doc);
  if (const JsonValue* reasons = internal::Member(doc, "CancellationReasons");
      reasons != nullptr && reasons->IsArray()) {
    detail->cancellation_reasons.reserve(reasons->Size());
    for (const JsonValue& r : reasons->GetArray()) {
      if (!r.IsObject()) continue;
      CancellationReason reason;
      reason.code = StringMember(r, "Code");
      reason.message = StringMember(r, "Message");
      reason.item = ItemMember(r);
      detail->cancellation_reasons.push_back(std::move(reason));
    }
  }
  if (const JsonValue* reasons = internal::Member(doc, "ThrottlingReasons");
      reasons != nullptr && reasons->IsArray()) {
    for (const JsonValue& r : reasons->GetArray()) {
      if (!r.IsObject()) continue;
      detail->throttling_reasons.push_back({StringMember(r, "reason"), StringMember(r, "resource")});
    }
  }
  if (detail->item || !detail->cancellation_reasons.empty() || !detail->throttling_reasons.empty()) {
    error.set_detail(std::move(detail));
  }
  return error;
}

}  // namespace moe
