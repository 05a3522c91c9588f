// Fuzz target: the expression language (ddbexpr). The first byte picks the
// kind of expression, the rest is its text. What parses is evaluated, applied
// or projected against a fixed item that holds every type, with fixed
// #name and :value maps, so the evaluator sees every path the parser admits.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ddbexpr/ddbexpr.h"
#include "fuzz/fuzz_check.h"
#include "moe/json.h"

namespace {

using moe::ddbexpr::ExpressionKind;

// Attributes a..g cover every type; the placeholders reach them and more.
constexpr std::string_view kItem = R"({
  "pk": {"S": "p"}, "sk": {"N": "1"},
  "a": {"S": "abc"}, "b": {"N": "-12.5e3"}, "c": {"B": "AAEC"}, "d": {"BOOL": true},
  "e": {"NULL": true}, "f": {"SS": ["x", "y"]}, "g": {"NS": ["1", "2.5"]},
  "h": {"BS": ["AA==", "AQ=="]},
  "l": {"L": [{"N": "1"}, {"S": "two"}, {"L": [{"M": {"k": {"N": "3"}}}]}]},
  "m": {"M": {"n": {"M": {"o": {"S": "deep"}}}, "l": {"L": [{"N": "0"}]}}}
})";

constexpr std::string_view kValues = R"({
  ":s": {"S": "abc"}, ":e": {"S": ""}, ":n": {"N": "1"}, ":big": {"N": "9.9999999999999999999999999999999999999E+125"},
  ":small": {"N": "-1E-130"}, ":b": {"B": "AAEC"}, ":t": {"BOOL": true}, ":z": {"NULL": true},
  ":ss": {"SS": ["x", "z"]}, ":ns": {"NS": ["2.5", "7"]}, ":bs": {"BS": ["AA=="]},
  ":l": {"L": [{"N": "1"}, {"S": "q"}]}, ":m": {"M": {"k": {"S": "v"}}}
})";

const moe::Item& FixedItem() {
  static const moe::Item item = moe::ParseDynamoJson(kItem).value();
  return item;
}

const moe::ddbexpr::AttributeValues& FixedValues() {
  static const moe::ddbexpr::AttributeValues values = moe::ParseDynamoJson(kValues).value();
  return values;
}

const moe::ddbexpr::AttributeNames& FixedNames() {
  static const moe::ddbexpr::AttributeNames names = {
      {"#a", "a"}, {"#m", "m"}, {"#l", "l"}, {"#pk", "pk"}, {"#sk", "sk"}, {"#dot", "x.y"},
      {"#e", ""},  // an empty name is for the parser to reject, not to crash on
  };
  return names;
}

void Condition(std::string_view text, ExpressionKind kind) {
  moe::ddbexpr::PlaceholderTracker tracker(&FixedNames(), &FixedValues());
  auto ast = moe::ddbexpr::ParseCondition(text, kind, tracker);
  if (!ast) {
    MOE_FUZZ_CHECK(ast.error().code() == moe::ErrorCode::kValidation);
    return;
  }
  (void)tracker.CheckAllUsed();
  (void)moe::ddbexpr::ToString(*ast);
  auto result = moe::ddbexpr::EvaluateCondition(*ast, FixedItem());
  MOE_FUZZ_CHECK(result.has_value() || result.error().code() == moe::ErrorCode::kValidation);
  if (kind == ExpressionKind::kKeyCondition) {
    (void)moe::ddbexpr::ExtractKeyCondition(*ast, "pk", "sk");
  }
}

void Update(std::string_view text) {
  moe::ddbexpr::PlaceholderTracker tracker(&FixedNames(), &FixedValues());
  auto ast = moe::ddbexpr::ParseUpdate(text, tracker);
  if (!ast) {
    MOE_FUZZ_CHECK(ast.error().code() == moe::ErrorCode::kValidation);
    return;
  }
  (void)moe::ddbexpr::ToString(*ast);
  (void)moe::ddbexpr::UpdatedTopLevelNames(*ast);
  (void)moe::ddbexpr::ProjectPaths(FixedItem(), moe::ddbexpr::UpdatedPaths(*ast));
  (void)moe::ddbexpr::ProjectUpdated(FixedItem(), *ast);
  auto updated = moe::ddbexpr::ApplyUpdate(*ast, FixedItem());
  MOE_FUZZ_CHECK(updated.has_value() || updated.error().code() == moe::ErrorCode::kValidation);
  if (updated) {
    // What an update produces must be storable: it serializes and parses back.
    auto back = moe::ParseDynamoJson(moe::ToDynamoJson(*updated));
    MOE_FUZZ_CHECK(back.has_value() && *back == *updated);
  }
}

void Projection(std::string_view text) {
  moe::ddbexpr::PlaceholderTracker tracker(&FixedNames(), &FixedValues());
  auto ast = moe::ddbexpr::ParseProjection(text, tracker);
  if (!ast) {
    MOE_FUZZ_CHECK(ast.error().code() == moe::ErrorCode::kValidation);
    return;
  }
  (void)moe::ddbexpr::ToString(*ast);
  (void)moe::ddbexpr::Project(FixedItem(), *ast);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0: Condition(text, ExpressionKind::kCondition); break;
    case 1: Condition(text, ExpressionKind::kFilter); break;
    case 2: Condition(text, ExpressionKind::kKeyCondition); break;
    case 3: Update(text); break;
    case 4: Projection(text); break;
  }
  return 0;
}
