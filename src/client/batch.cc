#include "moe/batch.h"

#include <mutex>
#include <unordered_map>

#include "client/batch_driver.h"
#include "moe/json.h"

namespace moe {
namespace {

constexpr size_t kMaxWritesPerRequest = 25;
constexpr size_t kMaxKeysPerRequest = 100;
constexpr size_t kMaxRequestBytes = 16 * 1024 * 1024;
constexpr size_t kMaxItemBytes = 400 * 1024;
// Room for the request envelope and table names inside the 16 MB.
constexpr size_t kRequestHeadroom = 64 * 1024;

bool IsKeyType(const Value& v) { return v.is(Type::kS) || v.is(Type::kN) || v.is(Type::kB); }

// A byte string that identifies a key: equal keys, and only they, map to
// equal fingerprints (numbers are canonicalized: 1.0 == 1).
std::string Fingerprint(const Item& key) {
  std::string out;
  for (const auto& [name, v] : key) {
    out += name;
    out.push_back('\0');
    switch (v.type()) {
      case Type::kS:
        out += 'S';
        out += v.s();
        break;
      case Type::kN:
        out += 'N';
        out += v.n().Canonical();
        break;
      case Type::kB:
        out += 'B';
        out += v.b().data;
        break;
      default:
        break;
    }
    out += '\0';
    out += std::to_string(out.size());
  }
  return out;
}

Result<const KeyNames*> KeyNamesFor(DynamoDbClient& client, BatchOptions& options,
                                    const std::string& table) {
  auto it = options.key_names.find(table);
  if (it == options.key_names.end()) {
    MOE_TRY(KeyNames names, DescribeKeyNames(client, table));
    it = options.key_names.emplace(table, std::move(names)).first;
  }
  return &it->second;
}

void AddCapacity(const std::vector<ConsumedCapacity>& consumed,
                 std::map<std::string, double, std::less<>>* totals) {
  for (const ConsumedCapacity& c : consumed) (*totals)[c.table_name] += c.capacity_units;
}

}  // namespace

Result<KeyNames> DescribeKeyNames(DynamoDbClient& client, const std::string& table) {
  MOE_TRY(DescribeTableResponse d, client.DescribeTable({.table_name = table}));
  KeyNames names;
  for (const KeySchemaElement& k : d.table.key_schema) {
    (k.key_type == KeyType::kHash ? names.hash : names.range) = k.attribute_name;
  }
  if (names.hash.empty())
    return Error::BadResponse("table " + table + " has no hash key in its description");
  return names;
}

Result<Item> ExtractKey(const Item& item, const KeyNames& names) {
  Item key;
  for (const std::string* name : {&names.hash, &names.range}) {
    if (name->empty()) continue;
    auto it = item.find(*name);
    if (it == item.end()) {
      return Error::Validation("One or more parameter values were invalid: Missing the key " +
                               *name + " in the item");
    }
    if (!IsKeyType(it->second)) {
      return Error::Validation("One or more parameter values were invalid: Type mismatch for key " +
                               *name);
    }
    key.emplace(*name, it->second);
  }
  return key;
}

// ------------------------------------------------------------ BatchWriter

BatchWriter::BatchWriter(DynamoDbClient& client, BatchOptions options)
    : client_(client), options_(std::move(options)) {}

void BatchWriter::Put(std::string table, Item item) {
  entries_.push_back({std::move(table), WriteRequest{.put_item = std::move(item)}});
}

void BatchWriter::Delete(std::string table, Item key) {
  entries_.push_back({std::move(table), WriteRequest{.delete_key = std::move(key)}});
}

Result<BatchWriteResult> BatchWriter::Flush() {
  // Resolve every table's key schema before anything is sent.
  std::unordered_map<std::string, const KeyNames*> names;
  for (const Entry& e : entries_) {
    if (names.count(e.table)) continue;
    MOE_TRY(const KeyNames* n, KeyNamesFor(client_, options_, e.table));
    names.emplace(e.table, n);
  }
  std::vector<Entry> entries = std::move(entries_);
  entries_.clear();

  BatchWriteResult result;
  std::mutex result_mu;
  std::vector<std::string> fingerprints(entries.size());
  std::vector<size_t> sizes(entries.size());
  std::vector<size_t> to_send;
  to_send.reserve(entries.size());
  std::unordered_map<std::string, size_t> latest;  // table + key -> entry index
  std::vector<bool> dropped(entries.size(), false);

  for (size_t i = 0; i < entries.size(); ++i) {
    const Entry& e = entries[i];
    const Item& body = e.request.put_item ? *e.request.put_item : *e.request.delete_key;
    auto key = ExtractKey(body, *names[e.table]);
    if (!key) {
      result.failed.push_back({i, e.table, e.request, std::move(key).error()});
      continue;
    }
    if (e.request.put_item && ItemSize(body) > kMaxItemBytes) {
      result.failed.push_back(
          {i, e.table, e.request,
           Error::Validation("Item size has exceeded the maximum allowed size")});
      continue;
    }
    fingerprints[i] = e.table + '\0' + Fingerprint(*key);
    auto [it, fresh] = latest.emplace(fingerprints[i], i);
    if (!fresh) {
      if (options_.duplicates == DuplicatePolicy::kReject) {
        result.failed.push_back(
            {i, e.table, e.request,
             Error::Validation("Provided list of item keys contains duplicates")});
        continue;
      }
      dropped[it->second] = true;  // the later write replaces it
      it->second = i;
    }
    sizes[i] = ToDynamoJson(body).size() + e.table.size() + 32;
    to_send.push_back(i);
  }
  std::erase_if(to_send, [&](size_t i) { return dropped[i]; });

  auto pack = [&](std::deque<size_t>& ready) {
    std::vector<size_t> batch;
    size_t bytes = 0;
    while (!ready.empty() && batch.size() < kMaxWritesPerRequest) {
      size_t i = ready.front();
      if (!batch.empty() && bytes + sizes[i] > kMaxRequestBytes - kRequestHeadroom) break;
      bytes += sizes[i];
      batch.push_back(i);
      ready.pop_front();
    }
    return batch;
  };

  auto send = [&](const std::vector<size_t>& batch,
                  std::function<void(internal::BatchDriver::Reply)> done) {
    BatchWriteItemRequest request;
    if (options_.consumed_capacity)
      request.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
    // Fingerprint -> entry, to map UnprocessedItems back (keys are unique per flush).
    auto index = std::make_shared<std::unordered_map<std::string, size_t>>();
    for (size_t i : batch) {
      request.request_items[entries[i].table].push_back(entries[i].request);
      index->emplace(fingerprints[i], i);
    }
    {
      std::lock_guard lock(result_mu);
      ++result.requests;
    }
    client_.CallAsync(request, [&, index,
                                done = std::move(done)](Result<BatchWriteItemResponse> r) {
      internal::BatchDriver::Reply reply;
      if (!r) {
        reply.error = std::move(r).error();
        return done(std::move(reply));
      }
      {
        std::lock_guard lock(result_mu);
        AddCapacity(r->consumed_capacity, &result.consumed_capacity);
      }
      for (auto& [table, writes] : r->unprocessed_items) {
        auto n = names.find(table);
        for (WriteRequest& w : writes) {
          const Item& body = w.put_item ? *w.put_item : *w.delete_key;
          std::optional<size_t> match;
          if (n != names.end()) {
            if (auto key = ExtractKey(body, *n->second)) {
              auto it = index->find(table + '\0' + Fingerprint(*key));
              if (it != index->end()) match = it->second;
            }
          }
          if (!match) {
            // The service returned something it was not sent: treat the whole
            // request as failed-retryable so nothing is assumed written.
            reply.unprocessed.clear();
            reply.error =
                Error::BadResponse("UnprocessedItems holds an item that was not in the request");
            return done(std::move(reply));
          }
          reply.unprocessed.push_back(*match);
        }
      }
      done(std::move(reply));
    });
  };

  auto on_failed = [&](size_t i, Error error) {
    std::lock_guard lock(result_mu);
    result.failed.push_back({i, entries[i].table, entries[i].request, std::move(error)});
  };

  internal::BatchDriver driver(options_, client_.clock());
  result.unprocessed_resends = driver.Run(to_send, pack, send, on_failed, to_send.size());
  std::sort(result.failed.begin(), result.failed.end(),
            [](const FailedWrite& a, const FailedWrite& b) { return a.index < b.index; });
  result.succeeded = entries.size() - result.failed.size();
  return result;
}

// ------------------------------------------------------------ BatchGetter

BatchGetter::BatchGetter(DynamoDbClient& client, BatchOptions options)
    : client_(client), options_(std::move(options)) {}

void BatchGetter::Configure(const std::string& table, GetTableOptions options) {
  tables_[table] = std::move(options);
}

void BatchGetter::Get(std::string table, Item key) {
  keys_.emplace_back(std::move(table), std::move(key));
}

Result<BatchGetResult> BatchGetter::Fetch() {
  std::unordered_map<std::string, const KeyNames*> names;
  for (const auto& [table, key] : keys_) {
    if (names.count(table)) continue;
    MOE_TRY(const KeyNames* n, KeyNamesFor(client_, options_, table));
    names.emplace(table, n);
  }
  std::vector<std::pair<std::string, Item>> keys = std::move(keys_);
  keys_.clear();

  BatchGetResult result;
  result.outcomes.resize(keys.size());
  std::mutex result_mu;
  std::vector<std::string> fingerprints(keys.size());
  std::unordered_map<std::string, size_t> first;  // fingerprint -> first entry with it
  std::vector<size_t> duplicate_of(keys.size(), SIZE_MAX);
  std::vector<size_t> to_send;

  for (size_t i = 0; i < keys.size(); ++i) {
    auto& [table, key] = keys[i];
    auto exact = ExtractKey(key, *names[table]);
    if (!exact || exact->size() != key.size()) {
      result.outcomes[i].error =
          exact ? Error::Validation("The provided key element does not match the schema")
                : std::move(exact).error();
      continue;
    }
    fingerprints[i] = table + '\0' + Fingerprint(key);
    auto [it, fresh] = first.emplace(fingerprints[i], i);
    if (!fresh) {
      duplicate_of[i] = it->second;
      continue;
    }
    to_send.push_back(i);
  }

  // Per-table request settings; projections always include the key.
  std::map<std::string, KeysAndAttributes, std::less<>> templates;
  for (const auto& [table, n] : names) {
    KeysAndAttributes t;
    auto configured = tables_.find(table);
    if (configured != tables_.end()) {
      const GetTableOptions& o = configured->second;
      t.consistent_read = o.consistent_read;
      t.expression_attribute_names = o.expression_attribute_names;
      if (o.projection_expression) {
        std::string projection = *o.projection_expression + ", #moe_hk";
        t.expression_attribute_names["#moe_hk"] = n->hash;
        if (!n->range.empty()) {
          projection += ", #moe_rk";
          t.expression_attribute_names["#moe_rk"] = n->range;
        }
        t.projection_expression = std::move(projection);
      }
    }
    templates.emplace(table, std::move(t));
  }

  auto pack = [&](std::deque<size_t>& ready) {
    std::vector<size_t> batch;
    while (!ready.empty() && batch.size() < kMaxKeysPerRequest) {
      batch.push_back(ready.front());
      ready.pop_front();
    }
    return batch;
  };

  auto send = [&](const std::vector<size_t>& batch,
                  std::function<void(internal::BatchDriver::Reply)> done) {
    BatchGetItemRequest request;
    if (options_.consumed_capacity)
      request.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
    auto index = std::make_shared<std::unordered_map<std::string, size_t>>();
    for (size_t i : batch) {
      const std::string& table = keys[i].first;
      auto [slot, fresh] = request.request_items.try_emplace(table);
      if (fresh) slot->second = templates.at(table);
      slot->second.keys.push_back(keys[i].second);
      index->emplace(fingerprints[i], i);
    }
    {
      std::lock_guard lock(result_mu);
      ++result.requests;
    }
    client_.CallAsync(request, [&, index, done = std::move(done)](Result<BatchGetItemResponse> r) {
      internal::BatchDriver::Reply reply;
      if (!r) {
        reply.error = std::move(r).error();
        return done(std::move(reply));
      }
      {
        std::lock_guard lock(result_mu);
        AddCapacity(r->consumed_capacity, &result.consumed_capacity);
      }
      // Each entry belongs to one request at a time, so its outcome needs no lock.
      for (auto& [table, items] : r->responses) {
        auto n = names.find(table);
        if (n == names.end()) continue;
        for (Item& item : items) {
          auto key = ExtractKey(item, *n->second);
          if (!key) continue;
          auto it = index->find(table + '\0' + Fingerprint(*key));
          if (it != index->end()) result.outcomes[it->second].item = std::move(item);
        }
      }
      for (auto& [table, unprocessed] : r->unprocessed_keys) {
        for (const Item& key : unprocessed.keys) {
          auto it = index->find(table + '\0' + Fingerprint(key));
          if (it != index->end()) reply.unprocessed.push_back(it->second);
        }
      }
      done(std::move(reply));
    });
  };

  auto on_failed = [&](size_t i, Error error) {
    std::lock_guard lock(result_mu);
    result.outcomes[i].error = std::move(error);
  };

  internal::BatchDriver driver(options_, client_.clock());
  result.unprocessed_resends = driver.Run(to_send, pack, send, on_failed, to_send.size());

  for (size_t i = 0; i < keys.size(); ++i) {
    if (duplicate_of[i] != SIZE_MAX) result.outcomes[i] = result.outcomes[duplicate_of[i]];
    const GetOutcome& o = result.outcomes[i];
    if (o.error) {
      ++result.failed;
    } else if (o.item) {
      ++result.found;
    } else {
      ++result.missing;
    }
  }
  return result;
}

}  // namespace moe
