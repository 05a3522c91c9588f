#include <array>
#include <cstdio>
#include <cstdlib>

#include "moe/result.h"

namespace moe {
namespace {

struct CodeInfo {
  ErrorCode code;
  std::string_view name;
  int status;
};

constexpr std::array kCodes = {
    CodeInfo{ErrorCode::kAccessDenied, "AccessDeniedException", 400},
    CodeInfo{ErrorCode::kConditionalCheckFailed, "ConditionalCheckFailedException", 400},
    CodeInfo{ErrorCode::kIncompleteSignature, "IncompleteSignatureException", 400},
    CodeInfo{ErrorCode::kItemCollectionSizeLimitExceeded,
             "ItemCollectionSizeLimitExceededException", 400},
    CodeInfo{ErrorCode::kLimitExceeded, "LimitExceededException", 400},
    CodeInfo{ErrorCode::kMissingAuthenticationToken, "MissingAuthenticationTokenException", 400},
    CodeInfo{ErrorCode::kProvisionedThroughputExceeded, "ProvisionedThroughputExceededException",
             400},
    CodeInfo{ErrorCode::kRequestLimitExceeded, "RequestLimitExceeded", 400},
    CodeInfo{ErrorCode::kResourceInUse, "ResourceInUseException", 400},
    CodeInfo{ErrorCode::kResourceNotFound, "ResourceNotFoundException", 400},
    CodeInfo{ErrorCode::kThrottling, "ThrottlingException", 400},
    CodeInfo{ErrorCode::kTransactionCanceled, "TransactionCanceledException", 400},
    CodeInfo{ErrorCode::kTransactionConflict, "TransactionConflictException", 400},
    CodeInfo{ErrorCode::kTransactionInProgress, "TransactionInProgressException", 400},
    CodeInfo{ErrorCode::kIdempotentParameterMismatch, "IdempotentParameterMismatchException", 400},
    CodeInfo{ErrorCode::kUnrecognizedClient, "UnrecognizedClientException", 400},
    CodeInfo{ErrorCode::kInvalidSignature, "InvalidSignatureException", 400},
    CodeInfo{ErrorCode::kSerialization, "SerializationException", 400},
    CodeInfo{ErrorCode::kUnknownOperation, "UnknownOperationException", 400},
    CodeInfo{ErrorCode::kValidation, "ValidationException", 400},
    CodeInfo{ErrorCode::kRequestEntityTooLarge, "RequestEntityTooLarge", 413},
    CodeInfo{ErrorCode::kExpiredIterator, "ExpiredIteratorException", 400},
    CodeInfo{ErrorCode::kInternalServerError, "InternalServerError", 500},
    CodeInfo{ErrorCode::kServiceUnavailable, "ServiceUnavailable", 503},
    CodeInfo{ErrorCode::kNetwork, "NetworkError", 0},
    CodeInfo{ErrorCode::kTimeout, "Timeout", 0},
    CodeInfo{ErrorCode::kBadResponse, "BadResponse", 0},
    CodeInfo{ErrorCode::kUnknownService, "UnknownError", 0},
    CodeInfo{ErrorCode::kInvalidArgument, "InvalidArgument", 0},
    CodeInfo{ErrorCode::kIo, "IoError", 0},
    CodeInfo{ErrorCode::kRetriesExhausted, "RetriesExhausted", 0},
};

const CodeInfo& Info(ErrorCode code) {
  for (const CodeInfo& info : kCodes) {
    if (info.code == code) return info;
  }
  return kCodes.back();
}

}  // namespace

std::string_view ErrorCodeName(ErrorCode code) { return Info(code).name; }

ErrorCode ErrorCodeFromName(std::string_view type) {
  size_t hash = type.rfind('#');
  if (hash != std::string_view::npos) type.remove_prefix(hash + 1);
  for (const CodeInfo& info : kCodes) {
    if (info.name == type) return info.code;
  }
  // Other services' spellings of the same errors.
  if (type == "InternalFailure") return ErrorCode::kInternalServerError;
  if (type == "ServiceUnavailableException") return ErrorCode::kServiceUnavailable;
  if (type == "ThrottlingException" || type == "Throttling") return ErrorCode::kThrottling;
  if (type == "InvalidArgumentException") return ErrorCode::kValidation;  // Kinesis
  return ErrorCode::kUnknownService;
}

int HttpStatusFor(ErrorCode code) { return Info(code).status; }

std::string_view Error::type_name() const {
  if (!raw_type_.empty()) return raw_type_;
  return ErrorCodeName(code_);
}

bool Error::retryable() const {
  switch (code_) {
    case ErrorCode::kProvisionedThroughputExceeded:
    case ErrorCode::kRequestLimitExceeded:
    case ErrorCode::kThrottling:
    case ErrorCode::kTransactionConflict:
    case ErrorCode::kTransactionInProgress:
    case ErrorCode::kLimitExceeded:
    case ErrorCode::kInternalServerError:
    case ErrorCode::kServiceUnavailable:
    case ErrorCode::kNetwork:
    case ErrorCode::kTimeout:
    case ErrorCode::kBadResponse:  // CRC32 mismatch or a truncated body
      return true;
    case ErrorCode::kUnknownService:
      return http_status_ >= 500;
    default:
      return false;
  }
}

bool Error::throttling() const {
  return code_ == ErrorCode::kProvisionedThroughputExceeded ||
         code_ == ErrorCode::kRequestLimitExceeded || code_ == ErrorCode::kThrottling ||
         code_ == ErrorCode::kLimitExceeded || code_ == ErrorCode::kTransactionInProgress;
}

std::string Error::ToString() const {
  std::string out(type_name());
  if (!message_.empty()) {
    out += ": ";
    out += message_;
  }
  return out;
}

namespace internal {
void DieOnBadAccess(const Error* error) {
  if (error != nullptr) {
    std::fprintf(stderr, "moe: value() called on an error result: %s\n", error->ToString().c_str());
  } else {
    std::fprintf(stderr, "moe: error() called on a result that holds a value\n");
  }
  std::abort();
}
}  // namespace internal

}  // namespace moe
