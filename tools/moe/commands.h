// Registration of the moe subcommands. Each callback stores its exit code.
#pragma once

#include <CLI/CLI.hpp>

#include "cli.h"

namespace moe::cli {

void RegisterTableCommands(CLI::App& app, GlobalOptions& g, int& exit_code);
void RegisterItemCommands(CLI::App& app, GlobalOptions& g, int& exit_code);
void RegisterLoadCommand(CLI::App& app, GlobalOptions& g, int& exit_code);
void RegisterDemoCommand(CLI::App& app, GlobalOptions& g, int& exit_code);
void RegisterServeCommand(CLI::App& app, GlobalOptions& g, int& exit_code);
void RegisterFamilyCommands(CLI::App& app, GlobalOptions& g, int& exit_code);
void RegisterMirrorCommands(CLI::App& app, GlobalOptions& g, int& exit_code);
void RegisterBenchCommand(CLI::App& app, GlobalOptions& g, int& exit_code);
void RegisterStrategyCommands(CLI::App& app, GlobalOptions& g, int& exit_code);

}  // namespace moe::cli
