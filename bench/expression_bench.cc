// Cost of DynamoDB expressions in the embedded engine (src/ddbexpr): parsing
// a condition and an update expression with their placeholders, evaluating a
// condition against an item, applying an update, and parsing a long
// expression near DynamoDB's operator limit (the linear-parsing rule of the
// engine issue).
#include <benchmark/benchmark.h>

#include <string>

#include "ddbexpr/ddbexpr.h"

namespace moe {
namespace {

constexpr std::string_view kCondition =
    "attribute_exists(#pk) AND #status IN (:a, :b) AND #count < :max AND "
    "begins_with(#name, :prefix)";
constexpr std::string_view kUpdate =
    "SET #count = #count + :one, #tags = list_append(if_not_exists(#tags, :empty), :tag), "
    "#status = :a REMOVE #old ADD #seen :one";

const ddbexpr::AttributeNames kNames = {
    {"#pk", "pk"},     {"#status", "status"}, {"#count", "count"}, {"#name", "name"},
    {"#tags", "tags"}, {"#old", "old"},       {"#seen", "seen"}};

ddbexpr::AttributeValues Values() {
  return {{":a", "active"},          {":b", "pending"}, {":max", 100},
          {":prefix", "moe-"},       {":one", 1},       {":empty", List{}},
          {":tag", List{Value("x")}}};
}

Item SampleItem() {
  return {{"pk", "user#123"},      {"status", "active"},       {"count", 41},
          {"name", "moe-example"}, {"tags", List{Value("a")}}, {"old", true}};
}

void BM_ParseCondition(benchmark::State& state) {
  const ddbexpr::AttributeValues values = Values();
  for (auto _ : state) {
    ddbexpr::PlaceholderTracker tracker(&kNames, &values);
    auto ast = ddbexpr::ParseCondition(kCondition, ddbexpr::ExpressionKind::kCondition, tracker);
    if (!ast) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(ast);
  }
}
BENCHMARK(BM_ParseCondition);

void BM_EvaluateCondition(benchmark::State& state) {
  const ddbexpr::AttributeValues values = Values();
  ddbexpr::PlaceholderTracker tracker(&kNames, &values);
  auto ast = ddbexpr::ParseCondition(kCondition, ddbexpr::ExpressionKind::kCondition, tracker);
  const Item item = SampleItem();
  for (auto _ : state) {
    Result<bool> ok = ddbexpr::EvaluateCondition(*ast, item);
    if (!ok || !*ok) state.SkipWithError("condition false");
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(BM_EvaluateCondition);

void BM_ParseUpdate(benchmark::State& state) {
  const ddbexpr::AttributeValues values = Values();
  for (auto _ : state) {
    ddbexpr::PlaceholderTracker tracker(&kNames, &values);
    auto ast = ddbexpr::ParseUpdate(kUpdate, tracker);
    if (!ast) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(ast);
  }
}
BENCHMARK(BM_ParseUpdate);

void BM_ApplyUpdate(benchmark::State& state) {
  const ddbexpr::AttributeValues values = Values();
  ddbexpr::PlaceholderTracker tracker(&kNames, &values);
  auto ast = ddbexpr::ParseUpdate(kUpdate, tracker);
  const Item item = SampleItem();
  for (auto _ : state) {
    Result<Item> out = ddbexpr::ApplyUpdate(*ast, item);
    if (!out) state.SkipWithError("update failed");
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_ApplyUpdate);

// A long condition: 150 comparisons joined by OR (299 operators; DynamoDB
// allows 300), about 4 KB.
void BM_ParseLongCondition(benchmark::State& state) {
  std::string text;
  for (int i = 0; i < 150; ++i) {
    if (i > 0) text += " OR ";
    text += "(#count   =   :max)";
  }
  const ddbexpr::AttributeValues values = Values();
  for (auto _ : state) {
    ddbexpr::PlaceholderTracker tracker(&kNames, &values);
    auto ast = ddbexpr::ParseCondition(text, ddbexpr::ExpressionKind::kCondition, tracker);
    if (!ast) state.SkipWithError(ast.error().message().c_str());
    benchmark::DoNotOptimize(ast);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_ParseLongCondition);

}  // namespace
}  // namespace moe
