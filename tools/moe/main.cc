// moe: the command-line tool. Thin over the library: each command parses its
// arguments, makes one client, calls the library and prints JSON.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "cli.h"
#include "commands.h"
#include "moe/version.h"

int main(int argc, char** argv) {
  using namespace moe::cli;
  CLI::App app{"moe: DynamoDB at scale — client, table families, batch engine, local engine"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("moe ") + moe::kVersion);
  GlobalOptions g;
  app.add_option("--endpoint", g.endpoint,
                 "Endpoint URL, or local: (embedded engine in memory) or local:DIR (on disk). "
                 "Default: AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL, profile, AWS");
  app.add_option("--region", g.region, "Region (default: AWS_REGION, AWS_DEFAULT_REGION, profile)");
  app.add_option("--profile", g.profile, "Profile in ~/.aws/credentials and ~/.aws/config");
  app.add_flag("--ddb-json", g.ddb_json, "Items in and out as DynamoDB JSON instead of plain JSON");
  app.add_option("--kinesis-endpoint", g.kinesis_endpoint,
                 "Kinesis endpoint URL for the journal mirror, or local: / local:DIR (the "
                 "embedded journal). Default: AWS_ENDPOINT_URL_KINESIS; with a local: "
                 "--endpoint, the embedded journal (on disk in DIR/kinesis)");

  int exit_code = 0;
  RegisterTableCommands(app, g, exit_code);
  RegisterItemCommands(app, g, exit_code);
  RegisterLoadCommand(app, g, exit_code);
  RegisterDemoCommand(app, g, exit_code);
  RegisterServeCommand(app, g, exit_code);
  RegisterFamilyCommands(app, g, exit_code);
  RegisterMirrorCommands(app, g, exit_code);
  RegisterBenchCommand(app, g, exit_code);
  RegisterStrategyCommands(app, g, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}
