#include "local/engine.h"
namespace moe::local {
Result<std::string> EngineImpl::Query(std::string_view) { return Error(ErrorCode::kUnknownOperation, ""); }
Result<std::string> EngineImpl::Scan(std::string_view) { return Error(ErrorCode::kUnknownOperation, ""); }
Result<std::string> EngineImpl::BatchGetItem(std::string_view) { return Error(ErrorCode::kUnknownOperation, ""); }
Result<std::string> EngineImpl::BatchWriteItem(std::string_view) { return Error(ErrorCode::kUnknownOperation, ""); }
Result<std::string> EngineImpl::TransactWriteItems(std::string_view) { return Error(ErrorCode::kUnknownOperation, ""); }
Result<std::string> EngineImpl::TransactGetItems(std::string_view) { return Error(ErrorCode::kUnknownOperation, ""); }
}
