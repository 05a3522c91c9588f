// Child processes for tests and the demo: start a server (dynalite,
// kinesalite, `moe serve`) on a free 127.0.0.1 port, wait until it accepts
// connections, and stop it (SIGTERM, then SIGKILL) when the handle dies.
// Not thread-safe; one owner per process handle.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "moe/result.h"

namespace moe::testing {

// A port on 127.0.0.1 that was free a moment ago (bound with port 0, then closed).
Result<int> FreePort();

class ServerProcess {
 public:
  // Starts `argv` (argv[0] is looked up in PATH) with stdout and stderr sent
  // to `log_path` (or discarded when empty), then waits up to `ready_timeout`
  // for 127.0.0.1:`port` to accept a connection. Errors: kIo when the
  // process cannot start, exits early, or never listens.
  static Result<std::unique_ptr<ServerProcess>> Start(std::vector<std::string> argv, int port,
                                                      std::chrono::milliseconds ready_timeout,
                                                      const std::string& log_path = "");
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess();

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Sends `signal` and reaps the process (SIGKILL after a grace period for SIGTERM).
  void Stop(int signal = 15);

 private:
  ServerProcess(pid_t pid, int port) : pid_(pid), port_(port) {}
  pid_t pid_;
  int port_;
};

// The project's source directory (compiled in), for finding testservers/.
std::string SourceDir();

// dynalite from testservers/node_modules on a free port, in memory.
// `create_table_ms` is how long tables stay CREATING (dynalite's default: 500).
Result<std::unique_ptr<ServerProcess>> StartDynalite(int create_table_ms = 50);

// kinesalite from testservers/node_modules on a free 127.0.0.1 port, in
// memory. `stream_ms` is how long streams stay CREATING/DELETING/UPDATING
// (kinesalite's default: 500).
Result<std::unique_ptr<ServerProcess>> StartKinesalite(int stream_ms = 50);

}  // namespace moe::testing
