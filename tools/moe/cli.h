// Shared pieces of the moe command-line tool: global options, the client they
// build, item input/output in plain or DynamoDB JSON, and error reporting.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "moe/client.h"
#include "moe/local.h"
#include "moe/kinesis.h"
#include "moe/result.h"
#include "moe/value.h"

namespace moe::cli {

struct GlobalOptions {
  std::string endpoint;
  std::string region;
  std::string profile;
  bool ddb_json = false;  // items in and out as DynamoDB JSON instead of plain JSON
  // The journal mirror's Kinesis (MakeKinesisClient).
  std::string kinesis_endpoint;
};

// `observer`, when given, watches every attempt (ClientOptions::observer).
Result<std::unique_ptr<DynamoDbClient>> MakeClient(
    const GlobalOptions& g, std::shared_ptr<CallObserver> observer = nullptr);

// Whether the endpoint (--endpoint or the AWS_ENDPOINT_URL* variables) is
// the embedded engine: "local:" (in memory) or "local:DIR" (on disk).
bool IsLocalEndpoint(const GlobalOptions& g);

// A client over an embedded engine opened with `engine_options` (its
// data_dir taken from the "local:DIR" endpoint), with `options`' observer,
// clock and retry settings; the client owns the engine and *engine borrows
// it. Errors: kInvalidArgument when the endpoint is not local:, the
// engine's and the client's.
Result<std::unique_ptr<DynamoDbClient>> MakeEngineClient(const GlobalOptions& g,
                                                         local::EngineOptions engine_options,
                                                         ClientOptions options,
                                                         local::Engine** engine);

// Kinesis for the journal mirror: --kinesis-endpoint, else
// AWS_ENDPOINT_URL_KINESIS, else, when DynamoDB is the embedded engine, the
// embedded journal ("local:" in memory; "local:/dir" durable in
// /dir/kinesis, so successive commands share it), else the AWS rules.
Result<std::unique_ptr<KinesisClient>> MakeKinesisClient(const GlobalOptions& g);

// Parses an item or key given on the command line.
Result<Item> ParseItem(const GlobalOptions& g, const std::string& json);
// Parses ExpressionAttributeValues ({":v": ...}); empty text gives an empty map.
Result<Map> ParseValues(const GlobalOptions& g, const std::string& json);
// Parses ExpressionAttributeNames ({"#n": "name"}).
Result<std::map<std::string, std::string, std::less<>>> ParseNames(const std::string& json);
std::string FormatItem(const GlobalOptions& g, const Item& item);

// Prints "moe: <Type>: <message>" to stderr and returns the exit code 1.
int Fail(const Error& error);

// A one-line progress bar on stderr, drawn only when stderr is a terminal.
class Progress {
 public:
  explicit Progress(std::string label);
  void Update(size_t done, size_t total);
  void Finish();

 private:
  std::string label_;
  bool tty_;
  int last_percent_ = -1;
};

}  // namespace moe::cli
