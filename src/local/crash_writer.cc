// The victim of crash_test: opens the engine on a data directory and writes
// until it is killed, printing each write to stdout only after the engine
// acknowledged it. One write(2) per line, so a line is whole or absent.
//
//   moe_crash_writer DIR CYCLE THREADS COMPACTION_BYTES
//
// Thread t of cycle c, step i:
//   i % 3 == 0  PutItem ttt:{pk="c<c>-t<t>-<i>", v=i}              -> "P <pk>"
//   i % 3 == 1  UpdateItem ttt:{pk="ctr-<t>"} ADD n 1 (UPDATED_NEW) -> "C <t> <n>"
//   i % 3 == 2  TransactWriteItems: ttt:{pk="<pk>-a"} + uuu:{pk="<pk>-b"} -> "T <pk>"
// Any failure prints "ERR ..." and exits with status 1.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "moe/local.h"

namespace {

void Say(const std::string& line) {
  std::string out = line + "\n";
  (void)!::write(STDOUT_FILENO, out.data(), out.size());
}

[[noreturn]] void Die(const std::string& what) {
  Say("ERR " + what);
  std::_Exit(1);
}

std::string Call(moe::local::Engine& engine, std::string_view op, const std::string& body) {
  auto r = engine.Handle(op, body);
  if (!r) Die(std::string(op) + ": " + r.error().ToString());
  return std::move(r).value();
}

void Writer(moe::local::Engine& engine, const std::string& cycle, int t) {
  const std::string pad(200, 'x');
  for (int i = 0;; ++i) {
    std::string pk = "c" + cycle + "-t" + std::to_string(t) + "-" + std::to_string(i);
    switch (i % 3) {
      case 0:
        Call(engine, "PutItem",
             R"({"TableName":"ttt","Item":{"pk":{"S":")" + pk + R"("},"v":{"N":")" +
                 std::to_string(i) + R"("},"pad":{"S":")" + pad + R"("}}})");
        Say("P " + pk);
        break;
      case 1: {
        std::string r = Call(
            engine, "UpdateItem",
            R"({"TableName":"ttt","Key":{"pk":{"S":"ctr-)" + std::to_string(t) +
                R"("}},"UpdateExpression":"ADD n :one",)"
                R"("ExpressionAttributeValues":{":one":{"N":"1"}},"ReturnValues":"UPDATED_NEW"})");
        size_t at = r.find(R"("N":")");
        if (at == std::string::npos) Die("no counter in " + r);
        Say("C " + std::to_string(t) + " " + std::to_string(std::atoll(r.c_str() + at + 5)));
        break;
      }
      default:
        Call(engine, "TransactWriteItems",
             R"({"TransactItems":[{"Put":{"TableName":"ttt","Item":{"pk":{"S":")" + pk +
                 R"(-a"}}}},{"Put":{"TableName":"uuu","Item":{"pk":{"S":")" + pk + R"(-b"}}}}]})");
        Say("T " + pk);
        break;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s DIR CYCLE THREADS COMPACTION_BYTES\n", argv[0]);
    return 2;
  }
  moe::local::EngineOptions options;
  options.data_dir = argv[1];
  options.log_compaction_bytes = std::atoll(argv[4]);
  auto engine = moe::local::Engine::Open(options);
  if (!engine) Die("open: " + engine.error().ToString());
  for (const char* table : {"ttt", "uuu"}) {
    auto r = (*engine)->Handle(
        "CreateTable",
        std::string(R"({"TableName":")") + table +
            R"(","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],)"
            R"("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})");
    if (!r && r.error().code() != moe::ErrorCode::kResourceInUse)
      Die("create: " + r.error().ToString());
  }
  Say("R");  // ready: the kill timer starts now, whatever the machine's load
  std::vector<std::thread> threads;
  for (int t = 0; t < std::atoi(argv[3]); ++t) {
    threads.emplace_back(
        [&engine, cycle = std::string(argv[2]), t] { Writer(**engine, cycle, t); });
  }
  for (auto& th : threads) th.join();
  return 0;
}
