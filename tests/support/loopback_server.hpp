#pragma once
// Runs a python3 loopback server that speaks a remote provider's protocol
// (the outside world the tests cannot reach) for the lifetime of the object.
// The script prints its port on stdout first; the server is stopped with
// SIGTERM at destruction.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

extern char** environ;

namespace sof::test {

class loopback_server {
 public:
  /// `script` relative to the source tree, e.g. "tests/.../server.py".
  explicit loopback_server(const std::string& script) {
    int fds[2];
    if (pipe(fds) != 0)
      return;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    std::string path = std::string{SOF_SOURCE_DIR} + "/" + script;
    const char* argv[] = {"python3", path.c_str(), nullptr};
    if (posix_spawnp(&pid_, "python3", &fa, nullptr, const_cast<char**>(argv),
                     environ)
        != 0)
      pid_ = -1;
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    FILE* out = fdopen(fds[0], "r");
    if (out && std::fscanf(out, "%d", &port_) != 1)
      port_ = 0;
    if (out)
      std::fclose(out);
  }
  ~loopback_server() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  loopback_server(const loopback_server&) = delete;
  loopback_server& operator=(const loopback_server&) = delete;

  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace sof::test
