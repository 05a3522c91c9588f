// MergedQuery: a k-way merge over lazily fetched Query pages.
//
// Each source keeps a buffer of fetched items, the LastEvaluatedKey of its
// last fetch, and the key of the last item the merge consumed from it. The
// token records, per source, where its next fetch must start: nothing yet
// ("-"), exhausted ("x"), or an ExclusiveStartKey (the last consumed key, or
// the LastEvaluatedKey when the buffer is empty, which skips items a filter
// already rejected). A resumed query refetches from there, so items already
// returned are never returned again.
#include "moe/merged_query.h"

#include <cstdint>
#include <deque>

#include "moe/json.h"

namespace moe {
namespace {

constexpr std::string_view kTokenVersion = "m1";

int TypeRank(Type t) {
  switch (t) {
    case Type::kS: return 0;
    case Type::kN: return 1;
    case Type::kB: return 2;
    default: return 3 + static_cast<int>(t);
  }
}

uint64_t Fnv1a(uint64_t h, std::string_view bytes) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string Hex16(uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[i] = kDigits[v & 15];
  return out;
}

std::vector<std::string_view> SplitDots(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t dot = text.find('.', start);
    parts.push_back(text.substr(start, dot - start));
    if (dot == std::string_view::npos) return parts;
    start = dot + 1;
  }
}

}  // namespace

int CompareKeyValues(const Value& a, const Value& b) {
  if (a.type() != b.type()) return TypeRank(a.type()) < TypeRank(b.type()) ? -1 : 1;
  switch (a.type()) {
    case Type::kS: return a.s().compare(b.s()) < 0 ? -1 : (a.s() == b.s() ? 0 : 1);
    case Type::kN: return a.n().Compare(b.n());
    case Type::kB: {
      int c = a.b().data.compare(b.b().data);
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    default: return 0;  // not a key type; callers reject these first
  }
}

struct MergedQuery::Impl {
  struct Source {
    QueryRequest request;
    std::deque<Item> buffer;
    // Where the next fetch starts; nullopt before the first one.
    std::optional<Item> next_start;
    bool started = false;    // fetched at least once (or resumed mid-way)
    bool more = true;        // the server may have more after next_start
    std::optional<Item> last_consumed;
    std::optional<Item> origin;  // where this run of the source began

    bool exhausted() const { return buffer.empty() && !more; }
  };

  DynamoDbClient* client;
  MergedQueryOptions options;
  std::vector<Source> sources;
  uint64_t fingerprint = 0;

  Result<Item> KeyOf(const Item& item) const {
    Item key;
    for (const std::string& name : options.key_attributes) {
      auto it = item.find(name);
      if (it == item.end()) {
        return Error::InvalidArgument("merged query: an item lacks key attribute '" + name +
                                      "' (the projection must include every key attribute)");
      }
      key.emplace(name, it->second);
    }
    return key;
  }

  Result<const Value*> SortValue(const Item& item) const {
    auto it = item.find(options.sort_key);
    if (it == item.end()) {
      return Error::InvalidArgument("merged query: an item lacks the sort key '" +
                                    options.sort_key + "'");
    }
    Type t = it->second.type();
    if (t != Type::kS && t != Type::kN && t != Type::kB) {
      return Error::InvalidArgument("merged query: sort key '" + options.sort_key +
                                    "' is not S, N or B");
    }
    return &it->second;
  }

  QueryRequest FetchRequest(const Source& s) const {
    QueryRequest q = s.request;
    q.exclusive_start_key = s.next_start;
    if (!q.limit) q.limit = options.page_size;
    return q;
  }

  void Absorb(Source& s, QueryResponse page, double* units) {
    s.started = true;
    if (page.consumed_capacity) *units += page.consumed_capacity->capacity_units;
    for (Item& item : page.items) s.buffer.push_back(std::move(item));
    s.more = page.last_evaluated_key.has_value();
    if (s.more) s.next_start = std::move(page.last_evaluated_key);
  }

  // Fetches until every unexhausted source has a buffered head. Sources that
  // need a page are fetched concurrently.
  Status FillHeads(double* units) {
    while (true) {
      std::vector<size_t> need;
      for (size_t i = 0; i < sources.size(); ++i) {
        if (sources[i].buffer.empty() && sources[i].more) need.push_back(i);
      }
      if (need.empty()) return Ok();
      std::vector<QueryRequest> requests;
      for (size_t i : need) requests.push_back(FetchRequest(sources[i]));
      std::vector<Result<QueryResponse>> results = client->CallAll(requests);
      for (size_t k = 0; k < need.size(); ++k) {
        if (!results[k]) return std::move(results[k]).error();
      }
      for (size_t k = 0; k < need.size(); ++k) {
        Absorb(sources[need[k]], std::move(results[k]).value(), units);
      }
    }
  }

  // The source whose head comes next, or -1 when all are exhausted.
  Result<int> Pick() const {
    int best = -1;
    const Value* best_value = nullptr;
    for (size_t i = 0; i < sources.size(); ++i) {
      if (sources[i].buffer.empty()) continue;
      MOE_TRY(const Value* v, SortValue(sources[i].buffer.front()));
      if (best < 0) {
        best = static_cast<int>(i);
        best_value = v;
        continue;
      }
      int c = CompareKeyValues(*v, *best_value);
      if (!options.scan_index_forward) c = -c;
      if (c < 0) {  // ties keep the earlier source
        best = static_cast<int>(i);
        best_value = v;
      }
    }
    return best;
  }

  Status Consume(Source& s) {
    MOE_TRY(Item key, KeyOf(s.buffer.front()));
    s.last_consumed = std::move(key);
    s.buffer.pop_front();
    return Ok();
  }

  std::string Token() const {
    std::string token(kTokenVersion);
    token += '.';
    token += Hex16(fingerprint);
    for (const Source& s : sources) {
      token += '.';
      if (s.exhausted()) {
        token += 'x';
        continue;
      }
      // Resume after what the server already evaluated when nothing is
      // buffered, else after the last consumed item, else where this run
      // began.
      const std::optional<Item>& at = (s.buffer.empty() && s.started) ? s.next_start
                                      : s.last_consumed                ? s.last_consumed
                                                                       : s.origin;
      token += at ? Base64Encode(ToDynamoJson(*at)) : "-";
    }
    return token;
  }

  Status Resume(std::string_view token) {
    auto bad = [](std::string why) {
      return Error::InvalidArgument("merged query: bad pagination token: " + why);
    };
    std::vector<std::string_view> parts = SplitDots(token);
    if (parts.size() != sources.size() + 2 || parts[0] != kTokenVersion) {
      return bad("not a token of this query");
    }
    if (parts[1] != Hex16(fingerprint)) return bad("it was made for other sources or options");
    for (size_t i = 0; i < sources.size(); ++i) {
      std::string_view p = parts[i + 2];
      Source& s = sources[i];
      if (p == "-") continue;
      if (p == "x") {
        s.more = false;
        s.started = true;
        continue;
      }
      auto json = Base64Decode(p);
      if (!json) return bad("undecodable cursor");
      auto key = ParseDynamoJson(*json);
      if (!key) return bad("undecodable cursor");
      s.origin = *key;
      s.next_start = std::move(*key);
      s.started = true;
    }
    return Ok();
  }
};

Result<std::unique_ptr<MergedQuery>> MergedQuery::Start(DynamoDbClient& client,
                                                        std::vector<QueryRequest> sources,
                                                        MergedQueryOptions options,
                                                        std::optional<std::string_view> token) {
  if (sources.empty()) return Error::InvalidArgument("merged query: no sources");
  if (options.sort_key.empty()) return Error::InvalidArgument("merged query: sort_key is required");
  if (options.key_attributes.empty()) {
    return Error::InvalidArgument("merged query: key_attributes are required");
  }
  if (options.page_size < 1) return Error::InvalidArgument("merged query: page_size must be >= 1");
  auto impl = std::make_unique<Impl>();
  impl->client = &client;
  uint64_t h = 14695981039346656037ull;
  for (QueryRequest& q : sources) {
    if (q.exclusive_start_key) {
      return Error::InvalidArgument("merged query: a source sets ExclusiveStartKey");
    }
    if (q.select == Select::kCount) {
      return Error::InvalidArgument("merged query: a source selects COUNT");
    }
    q.scan_index_forward = options.scan_index_forward;
    QueryRequest shape = q;
    shape.limit.reset();
    h = Fnv1a(Fnv1a(h, ToJson(shape)), "\n");
    impl->sources.push_back({.request = std::move(q)});
  }
  h = Fnv1a(h, options.sort_key);
  for (const std::string& k : options.key_attributes) h = Fnv1a(Fnv1a(h, "\t"), k);
  h = Fnv1a(h, options.scan_index_forward ? "F" : "B");
  h = Fnv1a(h, options.distinct_keys ? "D" : "A");
  impl->fingerprint = h;
  impl->options = std::move(options);
  if (token) MOE_TRY_STATUS(impl->Resume(*token));
  return std::unique_ptr<MergedQuery>(new MergedQuery(std::move(impl)));
}

MergedQuery::MergedQuery(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MergedQuery::~MergedQuery() = default;

bool MergedQuery::done() const {
  for (const Impl::Source& s : impl_->sources) {
    if (!s.exhausted()) return false;
  }
  return true;
}

Result<MergedPage> MergedQuery::NextPage() {
  Impl& m = *impl_;
  MergedPage page;
  while (static_cast<int>(page.items.size()) < m.options.page_size) {
    MOE_TRY_STATUS(m.FillHeads(&page.consumed_capacity_units));
    MOE_TRY(int next, m.Pick());
    if (next < 0) break;
    Impl::Source& s = m.sources[next];
    if (m.options.distinct_keys) {
      MOE_TRY(Item key, m.KeyOf(s.buffer.front()));
      for (size_t j = next + 1; j < m.sources.size(); ++j) {
        Impl::Source& other = m.sources[j];
        if (other.buffer.empty()) continue;
        MOE_TRY(Item other_key, m.KeyOf(other.buffer.front()));
        if (other_key == key) MOE_TRY_STATUS(m.Consume(other));
      }
    }
    page.items.push_back(s.buffer.front());
    MOE_TRY_STATUS(m.Consume(s));
  }
  // Settle whether anything is left so the last page carries no token.
  MOE_TRY_STATUS(m.FillHeads(&page.consumed_capacity_units));
  if (!done()) page.next_token = m.Token();
  return page;
}

}  // namespace moe
