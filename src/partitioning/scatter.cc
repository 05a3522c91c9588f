// Scatter-gather reads over the physical keys of a sharding policy.
#include <condition_variable>
#include <mutex>

#include "moe/sharding.h"
#include "partitioning/key_condition.h"

namespace moe::partitioning {

Result<GetItemResponse> ShardedGetItem(DynamoDbClient& client, const ShardingPolicy& policy,
                                       const GetItemRequest& request,
                                       const std::string& hash_key) {
  auto pk = request.key.find(hash_key);
  if (pk == request.key.end() || !pk->second.is(Type::kS)) {
    return Error::InvalidArgument("sharded GetItem needs a string '" + hash_key + "' in the key");
  }
  std::vector<std::string> keys = policy.PointReadKeys(pk->second.s(), request.key);

  // Every shard at once; the answers are kept in PointReadKeys order so the
  // newest generation wins when an item exists under two shard counts.
  struct Gather {
    std::mutex mu;
    std::condition_variable cv;
    size_t pending = 0;
    std::vector<std::optional<Result<GetItemResponse>>> answers;
  } gather;
  gather.pending = keys.size();
  gather.answers.resize(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    GetItemRequest shard = request;
    shard.key[hash_key] = Value(keys[i]);
    client.CallAsync(shard, [&gather, i](Result<GetItemResponse> r) {
      std::lock_guard lock(gather.mu);
      gather.answers[i].emplace(std::move(r));
      if (--gather.pending == 0) gather.cv.notify_all();
    });
  }
  std::unique_lock lock(gather.mu);
  gather.cv.wait(lock, [&] { return gather.pending == 0; });

  GetItemResponse merged;
  for (auto& answer : gather.answers) {
    if (!*answer) return std::move(*answer).error();
    GetItemResponse& r = **answer;
    if (r.consumed_capacity) {
      if (!merged.consumed_capacity) {
        merged.consumed_capacity = r.consumed_capacity;
      } else {
        merged.consumed_capacity->capacity_units += r.consumed_capacity->capacity_units;
      }
    }
    if (r.item && !merged.item) merged.item = std::move(r.item);
  }
  return merged;
}

Result<std::vector<QueryRequest>> ShardedQueryRequests(const ShardingPolicy& policy,
                                                       const QueryRequest& request,
                                                       const std::string& hash_key) {
  std::optional<std::string> placeholder;
  if (request.key_condition_expression) {
    placeholder = internal::HashKeyPlaceholder(*request.key_condition_expression,
                                               request.expression_attribute_names, hash_key);
  }
  const Value* logical = nullptr;
  if (placeholder) {
    auto it = request.expression_attribute_values.find(*placeholder);
    if (it != request.expression_attribute_values.end()) logical = &it->second;
  }
  if (logical == nullptr || !logical->is(Type::kS)) {
    return Error::InvalidArgument("sharded Query needs '" + hash_key +
                                  " = :placeholder' with a string value in its key condition");
  }
  std::vector<QueryRequest> out;
  for (const std::string& key : policy.AllKeys(logical->s())) {
    QueryRequest& q = out.emplace_back(request);
    q.expression_attribute_values[*placeholder] = Value(key);
  }
  return out;
}

Result<std::unique_ptr<MergedQuery>> ShardedQuery(DynamoDbClient& client,
                                                  const ShardingPolicy& policy,
                                                  const QueryRequest& request,
                                                  const std::string& hash_key,
                                                  MergedQueryOptions options,
                                                  std::optional<std::string_view> token) {
  MOE_TRY(std::vector<QueryRequest> sources, ShardedQueryRequests(policy, request, hash_key));
  return MergedQuery::Start(client, std::move(sources), std::move(options), token);
}

}  // namespace moe::partitioning
