// Which JSON library moe reads with: parse and write a 1000-item Query
// response (DynamoDB JSON) with rapidjson, nlohmann::json and simdjson.
// Built only when nlohmann-json3-dev and libsimdjson-dev are installed; the
// result is recorded in docs/json.md.
#include <benchmark/benchmark.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <string>

namespace {

std::string QueryResponse1000() {
  std::string s = R"({"Count":1000,"ScannedCount":1000,"Items":[)";
  for (int i = 0; i < 1000; ++i) {
    if (i) s += ",";
    s += R"({"pk":{"S":"owner#)" + std::to_string(i % 17) + R"("},"sk":{"N":")" + std::to_string(i) +
         R"("},"name":{"S":"item number )" + std::to_string(i) +
         R"("},"price":{"N":"12.50"},"active":{"BOOL":true},"meta":{"M":{"a":{"S":"x"},"b":{"N":"7"}}}})";
  }
  return s + "]}";
}

const std::string& Body() {
  static const std::string body = QueryResponse1000();
  return body;
}

// Each parser walks every attribute value and touches its string, so the
// comparison includes the traversal a real decoder does.
size_t WalkRapid(const rapidjson::Value& v) {
  size_t n = 0;
  if (v.IsObject()) {
    for (auto& m : v.GetObject()) n += m.name.GetStringLength() + WalkRapid(m.value);
  } else if (v.IsArray()) {
    for (auto& e : v.GetArray()) n += WalkRapid(e);
  } else if (v.IsString()) {
    n += v.GetStringLength();
  } else {
    n += 1;
  }
  return n;
}

void BM_Rapidjson_Parse(benchmark::State& state) {
  for (auto _ : state) {
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(Body().data(), Body().size());
    benchmark::DoNotOptimize(WalkRapid(doc));
  }
  state.SetItemsProcessed(state.iterations() * 1000);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(Body().size()));
}
BENCHMARK(BM_Rapidjson_Parse);

size_t WalkNlohmann(const nlohmann::json& v) {
  size_t n = 0;
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) n += it.key().size() + WalkNlohmann(it.value());
  } else if (v.is_array()) {
    for (auto& e : v) n += WalkNlohmann(e);
  } else if (v.is_string()) {
    n += v.get_ref<const std::string&>().size();
  } else {
    n += 1;
  }
  return n;
}

void BM_Nlohmann_Parse(benchmark::State& state) {
  for (auto _ : state) {
    auto doc = nlohmann::json::parse(Body());
    benchmark::DoNotOptimize(WalkNlohmann(doc));
  }
  state.SetItemsProcessed(state.iterations() * 1000);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(Body().size()));
}
BENCHMARK(BM_Nlohmann_Parse);

size_t WalkSimd(simdjson::dom::element v) {
  size_t n = 0;
  switch (v.type()) {
    case simdjson::dom::element_type::OBJECT:
      for (auto [k, e] : v.get_object()) n += k.size() + WalkSimd(e);
      break;
    case simdjson::dom::element_type::ARRAY:
      for (auto e : v.get_array()) n += WalkSimd(e);
      break;
    case simdjson::dom::element_type::STRING:
      n += std::string_view(v.get_string()).size();
      break;
    default:
      n += 1;
  }
  return n;
}

void BM_Simdjson_Parse(benchmark::State& state) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(Body());
  for (auto _ : state) {
    simdjson::dom::element doc = parser.parse(padded);
    benchmark::DoNotOptimize(WalkSimd(doc));
  }
  state.SetItemsProcessed(state.iterations() * 1000);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(Body().size()));
}
BENCHMARK(BM_Simdjson_Parse);

void BM_Rapidjson_Write(benchmark::State& state) {
  rapidjson::Document doc;
  doc.Parse(Body().data(), Body().size());
  for (auto _ : state) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    doc.Accept(w);
    benchmark::DoNotOptimize(buf.GetSize());
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_Rapidjson_Write);

void BM_Nlohmann_Write(benchmark::State& state) {
  auto doc = nlohmann::json::parse(Body());
  for (auto _ : state) benchmark::DoNotOptimize(doc.dump().size());
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_Nlohmann_Write);

}  // namespace

BENCHMARK_MAIN();
