#include "moe/sharding.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <random>

#include "moe/json.h"

namespace moe::partitioning {
namespace {

constexpr int kMaxShards = 10000;

// splitmix64's finalizer: spreads FNV's weak low bits over the whole word.
uint64_t Mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

int64_t UnixSeconds(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count();
}

void AddUnique(std::vector<int>& suffixes, int s) {
  if (std::find(suffixes.begin(), suffixes.end(), s) == suffixes.end()) suffixes.push_back(s);
}

}  // namespace

uint64_t StableHash(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return Mix(h);
}

std::string KeyText(const Value& value) {
  if (const auto* s = value.get_if<std::string>()) return *s;
  if (const auto* n = value.get_if<Number>()) return n->Canonical();
  if (const auto* b = value.get_if<Bytes>()) return Base64Encode(b->data);
  return {};
}

// ------------------------------------------------------------ ShardHistory

ShardHistory::ShardHistory(int shard_count)
    : generations_{{std::clamp(shard_count, 1, kMaxShards), 0}} {}

Status ShardHistory::Raise(int shard_count, int64_t since_unix_seconds) {
  if (shard_count <= current() || shard_count > kMaxShards) {
    return Error::InvalidArgument("shard count must grow (now " + std::to_string(current()) +
                                  ") and stay at most 10000: " + std::to_string(shard_count));
  }
  if (since_unix_seconds < generations_.back().since_unix_seconds) {
    return Error::InvalidArgument("a new shard generation cannot start before the current one");
  }
  generations_.push_back({shard_count, since_unix_seconds});
  return Ok();
}

int ShardHistory::CountAt(int64_t unix_seconds) const {
  int count = generations_.front().shard_count;
  for (const ShardGeneration& g : generations_) {
    if (g.since_unix_seconds <= unix_seconds) count = g.shard_count;
  }
  return count;
}

std::string ShardHistory::ToString() const {
  std::string out;
  for (const ShardGeneration& g : generations_) {
    if (!out.empty()) out += ',';
    out += std::to_string(g.shard_count) + '@' + std::to_string(g.since_unix_seconds);
  }
  return out;
}

Result<ShardHistory> ShardHistory::Parse(std::string_view text) {
  std::optional<ShardHistory> history;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view part = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    size_t at = part.find('@');
    std::optional<int64_t> count = ParseInt(part.substr(0, at));
    std::optional<int64_t> since =
        at == std::string_view::npos ? std::nullopt : ParseInt(part.substr(at + 1));
    if (!count || !since || *count < 1 || *count > kMaxShards) {
      return Error::InvalidArgument("malformed shard history: " + std::string(part));
    }
    if (!history) {
      history.emplace(static_cast<int>(*count));
      history->generations_.front().since_unix_seconds = *since;
    } else {
      MOE_TRY_STATUS(history->Raise(static_cast<int>(*count), *since));
    }
  }
  if (!history) return Error::InvalidArgument("empty shard history");
  return *history;
}

// ------------------------------------------------------------ ShardingPolicy

std::string ShardingPolicy::Physical(std::string_view logical_key, int suffix) const {
  std::string out;
  out.reserve(logical_key.size() + separator_.size() + 5);
  out.append(logical_key).append(separator_).append(std::to_string(suffix));
  return out;
}

std::vector<std::string> ShardingPolicy::AllKeys(std::string_view logical_key) const {
  int max = history().max();
  std::vector<std::string> out;
  out.reserve(max);
  for (int i = 0; i < max; ++i) out.push_back(Physical(logical_key, i));
  return out;
}

std::string_view ShardingPolicy::LogicalKey(std::string_view physical_key) const {
  size_t pos = physical_key.rfind(separator_);
  if (pos == std::string_view::npos) return physical_key;
  std::string_view suffix = physical_key.substr(pos + separator_.size());
  if (suffix.empty() || !ParseInt(suffix)) return physical_key;
  return physical_key.substr(0, pos);
}

Status ShardingPolicy::RaiseShardCount(int shard_count, int64_t since_unix_seconds) {
  std::lock_guard lock(mu_);
  return history_.Raise(shard_count, since_unix_seconds);
}

Status ShardingPolicy::Follow(const ShardHistory& recorded) {
  std::lock_guard lock(mu_);
  const auto& mine = history_.generations();
  const auto& theirs = recorded.generations();
  size_t shared = std::min(mine.size(), theirs.size());
  if (!std::equal(mine.begin(), mine.begin() + static_cast<ptrdiff_t>(shared), theirs.begin())) {
    return Error::InvalidArgument("shard history " + recorded.ToString() +
                                  " is not an extension of the policy's " + history_.ToString());
  }
  ShardHistory next = history_;
  for (size_t i = shared; i < theirs.size(); ++i) {
    MOE_TRY_STATUS(next.Raise(theirs[i].shard_count, theirs[i].since_unix_seconds));
  }
  history_ = std::move(next);
  return Ok();
}

ShardHistory ShardingPolicy::history() const {
  std::lock_guard lock(mu_);
  return history_;
}

namespace {

class RandomSuffixPolicy final : public ShardingPolicy {
 public:
  RandomSuffixPolicy(ShardHistory history, uint64_t seed, PolicyOptions options)
      : ShardingPolicy(std::move(history), std::move(options.separator)),
        state_(seed != 0 ? seed : (uint64_t{std::random_device{}()} << 32) ^ std::random_device{}()) {}

  std::string_view name() const override { return "random"; }

  Result<std::string> WriteKey(std::string_view logical_key, const Item&) const override {
    // splitmix64: one atomic add per draw, no lock on the write path.
    uint64_t draw = Mix(state_.fetch_add(0x9e3779b97f4a7c15ULL, std::memory_order_relaxed));
    int count = history().current();
    return Physical(logical_key, static_cast<int>(draw % static_cast<uint64_t>(count)));
  }

  std::vector<std::string> PointReadKeys(std::string_view logical_key,
                                         const Item&) const override {
    return AllKeys(logical_key);
  }

 private:
  mutable std::atomic<uint64_t> state_;
};

class CalculatedSuffixPolicy final : public ShardingPolicy {
 public:
  CalculatedSuffixPolicy(ShardHistory history, std::string attribute, Clock& clock,
                         PolicyOptions options)
      : ShardingPolicy(std::move(history), std::move(options.separator)),
        attribute_(std::move(attribute)),
        clock_(clock) {}

  std::string_view name() const override { return "calculated"; }

  Result<std::string> WriteKey(std::string_view logical_key, const Item& item) const override {
    std::optional<uint64_t> h = Hash(item);
    if (!h) {
      return Error::InvalidArgument("calculated suffix needs a string, number or binary '" +
                                    attribute_ + "' in the item");
    }
    int count = history().CountAt(UnixSeconds(clock_));
    return Physical(logical_key, static_cast<int>(*h % static_cast<uint64_t>(count)));
  }

  std::vector<std::string> PointReadKeys(std::string_view logical_key,
                                         const Item& known) const override {
    std::optional<uint64_t> h = Hash(known);
    if (!h) return AllKeys(logical_key);
    ShardHistory hist = history();
    std::vector<int> suffixes;
    for (auto g = hist.generations().rbegin(); g != hist.generations().rend(); ++g) {
      AddUnique(suffixes, static_cast<int>(*h % static_cast<uint64_t>(g->shard_count)));
    }
    std::vector<std::string> out;
    for (int s : suffixes) out.push_back(Physical(logical_key, s));
    return out;
  }

 private:
  std::optional<uint64_t> Hash(const Item& item) const {
    auto it = item.find(attribute_);
    if (it == item.end()) return std::nullopt;
    std::string text = KeyText(it->second);
    if (text.empty()) return std::nullopt;
    return StableHash(text);
  }

  const std::string attribute_;
  Clock& clock_;
};

class TimeBucketPolicy final : public ShardingPolicy {
 public:
  TimeBucketPolicy(ShardHistory history, std::chrono::seconds bucket, std::string attribute,
                   Clock& clock, PolicyOptions options)
      : ShardingPolicy(std::move(history), std::move(options.separator)),
        bucket_seconds_(std::max<int64_t>(1, bucket.count())),
        attribute_(std::move(attribute)),
        clock_(clock) {}

  std::string_view name() const override { return "time"; }

  Result<std::string> WriteKey(std::string_view logical_key, const Item& item) const override {
    std::optional<int64_t> t = attribute_.empty() ? UnixSeconds(clock_) : TimeOf(item);
    if (!t) {
      return Error::InvalidArgument("time-bucketed suffix needs a number '" + attribute_ +
                                    "' (epoch seconds) in the item");
    }
    return Physical(logical_key, SuffixAt(history(), *t));
  }

  std::vector<std::string> PointReadKeys(std::string_view logical_key,
                                         const Item& known) const override {
    std::optional<int64_t> t = attribute_.empty() ? std::nullopt : TimeOf(known);
    if (!t) return AllKeys(logical_key);
    return {Physical(logical_key, SuffixAt(history(), *t))};
  }

 private:
  int SuffixAt(const ShardHistory& hist, int64_t t) const {
    int64_t bucket = t >= 0 ? t / bucket_seconds_ : (t - bucket_seconds_ + 1) / bucket_seconds_;
    int64_t count = hist.CountAt(t);
    return static_cast<int>(((bucket % count) + count) % count);
  }

  std::optional<int64_t> TimeOf(const Item& item) const {
    auto it = item.find(attribute_);
    if (it == item.end()) return std::nullopt;
    const Number* n = it->second.get_if<Number>();
    if (n == nullptr) return std::nullopt;
    std::string_view text = n->text();
    return ParseInt(text.substr(0, text.find('.')));
  }

  const int64_t bucket_seconds_;
  const std::string attribute_;
  Clock& clock_;
};

}  // namespace

std::unique_ptr<ShardingPolicy> NewRandomSuffixPolicy(ShardHistory history, uint64_t seed,
                                                      PolicyOptions options) {
  return std::make_unique<RandomSuffixPolicy>(std::move(history), seed, std::move(options));
}

std::unique_ptr<ShardingPolicy> NewCalculatedSuffixPolicy(ShardHistory history,
                                                          std::string attribute, Clock& clock,
                                                          PolicyOptions options) {
  return std::make_unique<CalculatedSuffixPolicy>(std::move(history), std::move(attribute), clock,
                                                  std::move(options));
}

std::unique_ptr<ShardingPolicy> NewTimeBucketPolicy(ShardHistory history,
                                                    std::chrono::seconds bucket,
                                                    std::string attribute, Clock& clock,
                                                    PolicyOptions options) {
  return std::make_unique<TimeBucketPolicy>(std::move(history), bucket, std::move(attribute),
                                            clock, std::move(options));
}

}  // namespace moe::partitioning
