#include "testing/server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <thread>

namespace moe::testing {
namespace {

bool Accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

Result<int> FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return Error(ErrorCode::kIo, std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    return Error(ErrorCode::kIo, std::string("bind: ") + std::strerror(errno));
  }
  ::close(fd);
  return static_cast<int>(ntohs(addr.sin_port));
}

Result<std::unique_ptr<ServerProcess>> ServerProcess::Start(std::vector<std::string> argv, int port,
                                                            std::chrono::milliseconds ready_timeout,
                                                            const std::string& log_path) {
  std::vector<char*> args;
  for (std::string& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) return Error(ErrorCode::kIo, std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    int out = ::open(log_path.empty() ? "/dev/null" : log_path.c_str(),
                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out >= 0) {
      ::dup2(out, 1);
      ::dup2(out, 2);
    }
    int in = ::open("/dev/null", O_RDONLY);
    if (in >= 0) ::dup2(in, 0);
    ::setpgid(0, 0);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  auto process = std::unique_ptr<ServerProcess>(new ServerProcess(pid, port));
  auto deadline = std::chrono::steady_clock::now() + ready_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      process->pid_ = -1;
      return Error(ErrorCode::kIo,
                   argv[0] + " exited before listening (status " + std::to_string(status) + ")");
    }
    if (Accepts(port)) return process;
    // Polling a child process's readiness; no clock to inject here.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Error(ErrorCode::kIo,
               argv[0] + " did not listen on port " + std::to_string(port) + " in time");
}

void ServerProcess::Stop(int signal) {
  if (pid_ <= 0) return;
  ::kill(pid_, signal);
  for (int i = 0; i < 200; ++i) {
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

ServerProcess::~ServerProcess() { Stop(SIGTERM); }

std::string SourceDir() { return MOE_SOURCE_DIR; }

namespace {

// Starts the npm server at testservers/node_modules/`package` with the argv
// `make_argv(path, port)` builds, retrying when the probed port was taken.
Result<std::unique_ptr<ServerProcess>> StartNodeServer(
    const std::string& package, const std::string& file,
    const std::function<std::vector<std::string>(const std::string&, int)>& make_argv) {
  std::string path = SourceDir() + "/testservers/node_modules/" + package + "/" + file;
  if (::access(path.c_str(), R_OK) != 0) {
    return Error(ErrorCode::kIo,
                 package + " is not installed at " + path + " (run scripts/bootstrap.sh)");
  }
  Error last(ErrorCode::kIo, "no attempt");
  // A free port can be taken between probe and bind; try a few.
  for (int attempt = 0; attempt < 3; ++attempt) {
    MOE_TRY(int port, FreePort());
    auto server = ServerProcess::Start(make_argv(path, port), port, std::chrono::seconds(20));
    if (server) return server;
    last = std::move(server).error();
  }
  return last;
}

}  // namespace

Result<std::unique_ptr<ServerProcess>> StartDynalite(int create_table_ms) {
  std::string ms = std::to_string(create_table_ms);
  return StartNodeServer("dynalite", "cli.js", [&](const std::string& cli, int port) {
    return std::vector<std::string>{"node", cli, "--port", std::to_string(port),
                                    "--host", "127.0.0.1", "--createTableMs", ms,
                                    "--deleteTableMs", ms, "--updateTableMs", ms};
  });
}

Result<std::unique_ptr<ServerProcess>> StartKinesalite(int stream_ms) {
  std::string ms = std::to_string(stream_ms);
  // kinesalite's cli.js listens on every interface; its module lets us pick 127.0.0.1.
  return StartNodeServer("kinesalite", "index.js", [&](const std::string& index, int port) {
    std::string script = "require('" + index + "')({createStreamMs:" + ms + ",deleteStreamMs:" +
                         ms + ",updateStreamMs:" + ms + ",shardLimit:100}).listen(" +
                         std::to_string(port) + ",'127.0.0.1')";
    return std::vector<std::string>{"node", "-e", script};
  });
}

}  // namespace moe::testing
