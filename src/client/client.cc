#include "moe/client.h"

#include "client/caller.h"

namespace moe {

// The DynamoDB protocol over the shared signed, retried call (client/caller.h).
class DynamoDbClient::Impl {
 public:
  explicit Impl(std::unique_ptr<internal::ServiceCaller> caller) : caller(std::move(caller)) {}
  std::unique_ptr<internal::ServiceCaller> caller;
};

Result<std::unique_ptr<DynamoDbClient>> DynamoDbClient::Create(ClientOptions options) {
  MOE_TRY(auto caller,
          internal::ServiceCaller::Create(
              std::move(options), {.service = "dynamodb",
                                   .target_prefix = "DynamoDB_20120810.",
                                   .content_type = "application/x-amz-json-1.0"}));
  return std::unique_ptr<DynamoDbClient>(
      new DynamoDbClient(std::make_unique<Impl>(std::move(caller))));
}

DynamoDbClient::DynamoDbClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DynamoDbClient::~DynamoDbClient() = default;

void DynamoDbClient::InvokeAsync(std::string_view operation, std::string body,
                                 Callback<std::string> done) {
  impl_->caller->Start(operation, std::move(body), std::move(done));
}

const std::string& DynamoDbClient::endpoint() const { return impl_->caller->endpoint(); }
const std::string& DynamoDbClient::region() const { return impl_->caller->region(); }
Clock& DynamoDbClient::clock() const { return impl_->caller->clock(); }
ClientStats DynamoDbClient::stats() const { return impl_->caller->stats(); }

}  // namespace moe
