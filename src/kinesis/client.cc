#include "client/caller.h"
#include "moe/kinesis.h"

namespace moe {

// The Kinesis protocol over the shared signed, retried call (client/caller.h).
class KinesisClient::Impl {
 public:
  explicit Impl(std::unique_ptr<internal::ServiceCaller> caller) : caller(std::move(caller)) {}
  std::unique_ptr<internal::ServiceCaller> caller;
};

Result<std::unique_ptr<KinesisClient>> KinesisClient::Create(ClientOptions options) {
  MOE_TRY(auto caller,
          internal::ServiceCaller::Create(
              std::move(options), {.service = "kinesis",
                                   .target_prefix = "Kinesis_20131202.",
                                   .content_type = "application/x-amz-json-1.1"}));
  return std::unique_ptr<KinesisClient>(
      new KinesisClient(std::make_unique<Impl>(std::move(caller))));
}

KinesisClient::KinesisClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KinesisClient::~KinesisClient() = default;

void KinesisClient::InvokeAsync(std::string_view operation, std::string body,
                                Callback<std::string> done) {
  impl_->caller->Start(operation, std::move(body), std::move(done));
}

const std::string& KinesisClient::endpoint() const { return impl_->caller->endpoint(); }
Clock& KinesisClient::clock() const { return impl_->caller->clock(); }
ClientStats KinesisClient::stats() const { return impl_->caller->stats(); }

Result<std::vector<kinesis::Shard>> KinesisClient::ListAllShards(const std::string& stream) {
  std::vector<kinesis::Shard> shards;
  kinesis::ListShardsRequest request{.stream_name = stream};
  for (;;) {
    MOE_TRY(kinesis::ListShardsResponse page, ListShards(request));
    for (kinesis::Shard& s : page.shards) shards.push_back(std::move(s));
    if (!page.next_token || page.next_token->empty()) return shards;
    request = kinesis::ListShardsRequest{.next_token = std::move(page.next_token)};
  }
}

Result<kinesis::StreamDescriptionSummary> KinesisClient::WaitUntilActive(
    const std::string& stream, std::chrono::milliseconds timeout, std::chrono::milliseconds poll) {
  Clock& c = clock();
  const Clock::Duration deadline = c.Monotonic() + timeout;
  for (;;) {
    MOE_TRY(auto d, DescribeStreamSummary({.stream_name = stream}));
    if (d.stream_description_summary.stream_status == kinesis::StreamStatus::kActive) {
      return std::move(d.stream_description_summary);
    }
    if (c.Monotonic() >= deadline) {
      return Error(ErrorCode::kTimeout, "stream " + stream + " did not become ACTIVE in time");
    }
    c.SleepFor(poll);
  }
}

}  // namespace moe
