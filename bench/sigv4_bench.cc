// Cost of signing and verifying one DynamoDB request.
#include <benchmark/benchmark.h>

#include "moe/sigv4.h"

namespace {

const moe::Credentials kCreds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
const moe::Clock::TimePoint kNow = moe::ManualClock::FromUnixSeconds(1700000000);

moe::HttpRequest PutItemRequest() {
  moe::HttpRequest req{.url = "https://dynamodb.us-east-1.amazonaws.com/"};
  req.body =
      R"({"TableName":"events","Item":{"pk":{"S":"user#123"},"sk":{"S":"2024-01-01T00:00:00Z#0001"},)"
      R"("payload":{"S":"some moderately sized attribute value for a typical item"},"n":{"N":"42"}}})";
  req.headers = {{"Content-Type", "application/x-amz-json-1.0"},
                 {"X-Amz-Target", "DynamoDB_20120810.PutItem"},
                 {"User-Agent", "moe/0.1"}};
  return req;
}

// Warm key cache: the per-request cost a client pays.
void BM_Sign(benchmark::State& state) {
  moe::sigv4::Signer signer("us-east-1", "dynamodb");
  const moe::HttpRequest base = PutItemRequest();
  for (auto _ : state) {
    moe::HttpRequest req = base;
    benchmark::DoNotOptimize(signer.Sign(req, kCreds, kNow));
    benchmark::DoNotOptimize(req);
  }
}
BENCHMARK(BM_Sign);

// The copy of the request alone, to subtract from BM_Sign.
void BM_CopyRequestOnly(benchmark::State& state) {
  const moe::HttpRequest base = PutItemRequest();
  for (auto _ : state) {
    moe::HttpRequest req = base;
    benchmark::DoNotOptimize(req);
  }
}
BENCHMARK(BM_CopyRequestOnly);

// What the cache saves: four HMACs per key.
void BM_DeriveSigningKey(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(moe::sigv4::DeriveSigningKey(kCreds.secret_access_key, "20231114",
                                                          "us-east-1", "dynamodb"));
  }
}
BENCHMARK(BM_DeriveSigningKey);

// Server side: verification derives the key each time.
void BM_Verify(benchmark::State& state) {
  moe::sigv4::Signer signer("us-east-1", "dynamodb");
  moe::HttpRequest req = PutItemRequest();
  if (!signer.Sign(req, kCreds, kNow)) state.SkipWithError("sign failed");
  auto lookup = [](std::string_view) {
    return std::optional<std::string>(kCreds.secret_access_key);
  };
  for (auto _ : state) {
    benchmark::DoNotOptimize(moe::sigv4::Verify(req, lookup, kNow));
  }
}
BENCHMARK(BM_Verify);

}  // namespace


