// amparo-bench-age: measures amparo-submit encrypt and amparo-review decrypt
// against the reference age CLI on one large random file — median wall time,
// throughput, CPU time and peak RSS of each — then checks that each tool
// decrypts the other's ciphertext back to the input. See bench/README.md.

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;
constexpr double kRssGoalMiB = 16.0;

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void OnSignal(int) { g_interrupted = 1; }

struct BenchError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string Errno(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

void CheckInterrupted() {
  if (g_interrupted != 0) throw BenchError("interrupted");
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

Fd Open(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0600);
  if (fd < 0) throw BenchError(Errno("cannot open " + path));
  return Fd(fd);
}

// Reads until `size` bytes or end of file; returns the count read.
std::size_t ReadFull(int fd, char* data, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::read(fd, data + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw BenchError(Errno("read"));
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

void WriteFull(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw BenchError(Errno("write"));
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

// Owns the work dir: everything in it is removed when the benchmark ends,
// however it ends.
class WorkDir {
 public:
  explicit WorkDir(const std::string& parent) {
    std::string templ = parent + "/amparo-bench-XXXXXX";
    if (::mkdtemp(templ.data()) == nullptr) throw BenchError(Errno("cannot create a work dir in " + parent));
    path_ = templ;
  }
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  ~WorkDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string File(std::string_view name) const { return path_ + "/" + std::string(name); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct Sample {
  double wall_s = 0;
  double cpu_s = 0;
  long max_rss_kib = 0;
};

std::string Join(const std::vector<std::string>& argv) {
  std::string text;
  for (const std::string& arg : argv) {
    if (!text.empty()) text += ' ';
    text += arg;
  }
  return text;
}

double Seconds(const timeval& tv) {
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

double Seconds(const timespec& ts) {
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Child side of fork: only async-signal-safe calls from here to exec.
[[noreturn]] void ExecChild(char* const* argv, int in_fd, int out_fd, int err_fd) {
  if (::dup2(in_fd, STDIN_FILENO) < 0 || ::dup2(out_fd, STDOUT_FILENO) < 0) ::_exit(126);
  if (err_fd >= 0 && ::dup2(err_fd, STDERR_FILENO) < 0) ::_exit(126);
  ::execvp(argv[0], argv);
  constexpr std::string_view kMessage = "amparo-bench-age: cannot execute ";
  [[maybe_unused]] ssize_t ignored = ::write(STDERR_FILENO, kMessage.data(), kMessage.size());
  ignored = ::write(STDERR_FILENO, argv[0], std::strlen(argv[0]));
  ignored = ::write(STDERR_FILENO, "\n", 1);
  ::_exit(127);
}

// Runs argv with stdin and stdout on the given fds; times fork to reaped
// child and fails unless the child exits 0.
Sample Spawn(const std::vector<std::string>& argv, int in_fd, int out_fd, int err_fd = -1) {
  std::vector<std::string> storage = argv;
  std::vector<char*> args;
  for (std::string& arg : storage) args.push_back(arg.data());
  args.push_back(nullptr);

  timespec start{};
  timespec end{};
  ::clock_gettime(CLOCK_MONOTONIC, &start);
  const pid_t pid = ::fork();
  if (pid < 0) throw BenchError(Errno("fork"));
  if (pid == 0) ExecChild(args.data(), in_fd, out_fd, err_fd);

  int status = 0;
  rusage usage{};
  pid_t reaped = 0;
  do {
    reaped = ::wait4(pid, &status, 0, &usage);
  } while (reaped < 0 && errno == EINTR);
  ::clock_gettime(CLOCK_MONOTONIC, &end);
  if (reaped < 0) throw BenchError(Errno("wait4"));

  if (WIFSIGNALED(status)) {
    throw BenchError("`" + Join(argv) + "` killed by signal " + std::to_string(WTERMSIG(status)));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    throw BenchError("`" + Join(argv) + "` exited with status " + std::to_string(code) +
                     (code == 127 ? " (cannot execute it)" : ""));
  }
  return Sample{Seconds(end) - Seconds(start), Seconds(usage.ru_utime) + Seconds(usage.ru_stime),
                usage.ru_maxrss};
}

Sample Run(const std::vector<std::string>& argv, const std::string& in_path,
           const std::string& out_path) {
  // Opened (and the previous output truncated) before the clock starts.
  const Fd in = Open(in_path, O_RDONLY);
  const Fd out = Open(out_path, O_WRONLY | O_CREAT | O_TRUNC);
  return Spawn(argv, in.get(), out.get());
}

// Runs argv with stdin from /dev/null and returns its stdout.
std::string Capture(const std::vector<std::string>& argv, const WorkDir& dir) {
  const std::string path = dir.File("capture.txt");
  {
    const Fd in = Open("/dev/null", O_RDONLY);
    const Fd out = Open(path, O_WRONLY | O_CREAT | O_TRUNC);
    const Fd err = Open("/dev/null", O_WRONLY);
    Spawn(argv, in.get(), out.get(), err.get());
  }
  std::ifstream file(path);
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  std::filesystem::remove(path);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

void WriteRandomInput(const std::string& path, std::uint64_t size_mib) {
  const Fd random = Open("/dev/urandom", O_RDONLY);
  const Fd out = Open(path, O_WRONLY | O_CREAT | O_TRUNC);
  std::vector<char> block(kMiB);
  for (std::uint64_t i = 0; i < size_mib; ++i) {
    CheckInterrupted();
    if (ReadFull(random.get(), block.data(), block.size()) != block.size()) {
      throw BenchError("short read from /dev/urandom");
    }
    WriteFull(out.get(), block.data(), block.size());
  }
}

bool SameContent(const std::string& a, const std::string& b) {
  const Fd fa = Open(a, O_RDONLY);
  const Fd fb = Open(b, O_RDONLY);
  std::vector<char> ba(kMiB);
  std::vector<char> bb(kMiB);
  for (;;) {
    CheckInterrupted();
    const std::size_t na = ReadFull(fa.get(), ba.data(), ba.size());
    const std::size_t nb = ReadFull(fb.get(), bb.data(), bb.size());
    if (na != nb || std::memcmp(ba.data(), bb.data(), na) != 0) return false;
    if (na < ba.size()) return true;
  }
}

std::string RecipientOf(const std::string& identity_path) {
  std::ifstream file(identity_path);
  constexpr std::string_view kPrefix = "# public key: ";
  for (std::string line; std::getline(file, line);) {
    if (line.starts_with(kPrefix)) {
      std::string recipient = line.substr(kPrefix.size());
      if (recipient.starts_with("age1")) return recipient;
    }
  }
  throw BenchError("no public key line in the identity written by age-keygen");
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

int CpuCount() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
  return static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN));
}

std::string CpuModel() {
  std::ifstream file("/proc/cpuinfo");
  for (std::string line; std::getline(file, line);) {
    if (line.starts_with("model name")) {
      const std::size_t colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(" \t", colon + 1));
    }
  }
  return "unknown";
}

std::string Kernel() {
  utsname name{};
  if (::uname(&name) != 0) return "unknown";
  return std::string(name.sysname) + " " + name.release + " " + name.machine;
}

struct Options {
  std::string submit;
  std::string review;
  std::string age = "age";
  std::string age_keygen = "age-keygen";
  std::uint64_t size_mib = 1024;
  unsigned runs = 3;
  std::string parent_dir = "/var/tmp";
};

constexpr std::string_view kUsage =
    "usage: amparo-bench-age --amparo-submit PATH --amparo-review PATH [--age PATH]\n"
    "                        [--age-keygen PATH] [--size-mib 1024] [--runs 3] [--dir DIR]\n"
    "  --dir DIR  where the temporary work dir is created (default /var/tmp)\n";

template <typename T>
bool ParseNumber(std::string_view text, T& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && value > 0;
}

bool ParseOptions(int argc, char** argv, Options& options) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view flag = args[i];
    if (flag == "-h" || flag == "--help") return false;
    if (i + 1 >= args.size()) {
      std::cerr << "amparo-bench-age: missing value for " << flag << '\n';
      return false;
    }
    const std::string_view value = args[++i];
    bool ok = true;
    if (flag == "--amparo-submit") {
      options.submit = value;
    } else if (flag == "--amparo-review") {
      options.review = value;
    } else if (flag == "--age") {
      options.age = value;
    } else if (flag == "--age-keygen") {
      options.age_keygen = value;
    } else if (flag == "--size-mib") {
      ok = ParseNumber(value, options.size_mib);
    } else if (flag == "--runs") {
      ok = ParseNumber(value, options.runs);
    } else if (flag == "--dir") {
      options.parent_dir = value;
    } else {
      std::cerr << "amparo-bench-age: unknown option " << flag << '\n';
      return false;
    }
    if (!ok) {
      std::cerr << "amparo-bench-age: " << flag << " needs a positive integer\n";
      return false;
    }
  }
  if (options.submit.empty() || options.review.empty()) {
    std::cerr << "amparo-bench-age: --amparo-submit and --amparo-review are required\n";
    return false;
  }
  return true;
}

enum Op : std::size_t { kEncrypt, kDecrypt };
enum Tool : std::size_t { kAmparo, kAge };
constexpr std::array<const char*, 2> kOpNames = {"encrypt", "decrypt"};
constexpr std::array<const char*, 2> kToolNames = {"amparo", "age"};

struct Command {
  std::vector<std::string> argv;
  std::string in;
  std::string out;
};

struct Row {
  double median_wall_s;
  double mib_per_s;
  double median_cpu_s;
  double max_rss_mib;
};

int Benchmark(const Options& options) {
  const WorkDir dir(options.parent_dir);
  const std::uint64_t size_bytes = options.size_mib * kMiB;

  // input, two ciphertexts and two decryptions coexist; verification reuses space.
  struct statvfs fs {};
  if (::statvfs(dir.path().c_str(), &fs) != 0) throw BenchError(Errno("statvfs " + dir.path()));
  const std::uint64_t needed = 5 * size_bytes + 64 * kMiB;
  const std::uint64_t available = std::uint64_t{fs.f_bavail} * fs.f_frsize;
  if (available < needed) {
    throw BenchError("not enough space in " + options.parent_dir + ": need " +
                     std::to_string(needed / kMiB) + " MiB, have " +
                     std::to_string(available / kMiB) + " MiB");
  }

  const std::string age_version = Capture({options.age, "--version"}, dir);

  const std::string identity = dir.File("identity.txt");
  {
    const Fd in = Open("/dev/null", O_RDONLY);
    const Fd out = Open(identity, O_WRONLY | O_CREAT | O_EXCL);
    const Fd err = Open("/dev/null", O_WRONLY);
    Spawn({options.age_keygen}, in.get(), out.get(), err.get());
  }
  const std::string recipient = RecipientOf(identity);

  const std::string input = dir.File("input.bin");
  std::cerr << "amparo-bench-age: writing " << options.size_mib << " MiB of random input in "
            << dir.path() << '\n';
  WriteRandomInput(input, options.size_mib);

  const std::array<std::string, 2> ciphertext = {dir.File("amparo.age"), dir.File("age.age")};
  const std::array<std::string, 2> plaintext = {dir.File("amparo.out"), dir.File("age.out")};
  const auto encrypt_argv = [&](Tool tool) -> std::vector<std::string> {
    if (tool == kAmparo) return {options.submit, "encrypt", "-r", recipient};
    return {options.age, "--encrypt", "-r", recipient};
  };
  const auto decrypt_argv = [&](Tool tool) -> std::vector<std::string> {
    if (tool == kAmparo) return {options.review, "decrypt", "-i", identity};
    return {options.age, "--decrypt", "-i", identity};
  };
  const auto command = [&](Op op, Tool tool) {
    if (op == kEncrypt) return Command{encrypt_argv(tool), input, ciphertext[tool]};
    return Command{decrypt_argv(tool), ciphertext[tool], plaintext[tool]};
  };

  // One untimed pass of every command: the input and the binaries are then in
  // the page cache for all timed runs, whichever tool goes first.
  std::cerr << "amparo-bench-age: warm-up\n";
  for (const Op op : {kEncrypt, kDecrypt}) {
    for (const Tool tool : {kAmparo, kAge}) {
      CheckInterrupted();
      const Command c = command(op, tool);
      Run(c.argv, c.in, c.out);
    }
  }

  std::array<std::array<std::vector<Sample>, 2>, 2> samples;
  for (unsigned round = 0; round < options.runs; ++round) {
    std::cerr << "amparo-bench-age: round " << round + 1 << "/" << options.runs << '\n';
    const std::array<Tool, 2> order =
        round % 2 == 0 ? std::array<Tool, 2>{kAmparo, kAge} : std::array<Tool, 2>{kAge, kAmparo};
    for (const Op op : {kEncrypt, kDecrypt}) {
      for (const Tool tool : order) {
        CheckInterrupted();
        // Untimed: no run pays for writing back the previous run's output.
        ::sync();
        const Command c = command(op, tool);
        samples[op][tool].push_back(Run(c.argv, c.in, c.out));
      }
    }
  }

  std::cerr << "amparo-bench-age: verifying\n";
  std::vector<std::string> failures;
  for (const Tool tool : {kAmparo, kAge}) {
    if (!SameContent(input, plaintext[tool])) {
      failures.push_back(std::string(kToolNames[tool]) + " round trip differs from the input");
    }
    std::filesystem::remove(plaintext[tool]);
  }
  const std::string cross = dir.File("cross.out");
  const auto cross_check = [&](Tool decryptor, Tool encryptor) {
    const std::string what = std::string(kToolNames[decryptor]) + " decrypt of " +
                             kToolNames[encryptor] + "'s ciphertext";
    try {
      Run(decrypt_argv(decryptor), ciphertext[encryptor], cross);
      if (!SameContent(input, cross)) failures.push_back(what + " differs from the input");
    } catch (const BenchError& error) {
      failures.push_back(what + " failed: " + error.what());
    }
    std::filesystem::remove(cross);
  };
  cross_check(kAge, kAmparo);
  cross_check(kAmparo, kAge);

  std::array<std::array<Row, 2>, 2> rows{};
  for (const Op op : {kEncrypt, kDecrypt}) {
    for (const Tool tool : {kAmparo, kAge}) {
      std::vector<double> wall;
      std::vector<double> cpu;
      long rss_kib = 0;
      for (const Sample& s : samples[op][tool]) {
        wall.push_back(s.wall_s);
        cpu.push_back(s.cpu_s);
        rss_kib = std::max(rss_kib, s.max_rss_kib);
      }
      const double median_wall = Median(wall);
      rows[op][tool] = Row{median_wall, static_cast<double>(options.size_mib) / median_wall,
                           Median(cpu), static_cast<double>(rss_kib) / 1024.0};
    }
  }

  std::printf("## amparo vs age %s\n\n", age_version.c_str());
  std::printf("- nproc: %d\n", CpuCount());
  std::printf("- CPU: %s\n", CpuModel().c_str());
  std::printf("- kernel: %s\n", Kernel().c_str());
  std::printf("- age --version: %s\n", age_version.c_str());
  std::printf("- size: %llu MiB, runs: %u (median reported, after one warm-up)\n\n",
              static_cast<unsigned long long>(options.size_mib), options.runs);

  std::printf("| Operation | Tool | Median wall (s) | Throughput (MiB/s) | Median CPU user+sys (s) "
              "| Max peak RSS (MiB) |\n");
  std::printf("|---|---|--:|--:|--:|--:|\n");
  for (const Op op : {kEncrypt, kDecrypt}) {
    for (const Tool tool : {kAmparo, kAge}) {
      const Row& r = rows[op][tool];
      std::printf("| %s | %s | %.3f | %.1f | %.3f | %.1f |\n", kOpNames[op], kToolNames[tool],
                  r.median_wall_s, r.mib_per_s, r.median_cpu_s, r.max_rss_mib);
    }
  }

  const double encrypt_ratio = rows[kEncrypt][kAmparo].mib_per_s / rows[kEncrypt][kAge].mib_per_s;
  const double decrypt_ratio = rows[kDecrypt][kAmparo].mib_per_s / rows[kDecrypt][kAge].mib_per_s;
  const double amparo_rss =
      std::max(rows[kEncrypt][kAmparo].max_rss_mib, rows[kDecrypt][kAmparo].max_rss_mib);
  const bool encrypt_ok = encrypt_ratio >= 1.0;
  const bool decrypt_ok = decrypt_ratio >= 1.0;
  const bool rss_ok = amparo_rss < kRssGoalMiB;
  const auto verdict = [](bool ok) { return ok ? "PASS" : "FAIL"; };

  std::printf("\n| Throughput ratio amparo/age | Ratio | Goal >= 1.0 |\n");
  std::printf("|---|--:|---|\n");
  std::printf("| encrypt | %.2f | %s |\n", encrypt_ratio, verdict(encrypt_ok));
  std::printf("| decrypt | %.2f | %s |\n", decrypt_ratio, verdict(decrypt_ok));
  std::printf("\namparo peak RSS: %.1f MiB (goal < %.0f MiB: %s)\n", amparo_rss, kRssGoalMiB,
              verdict(rss_ok));
  std::printf("Goals: %s (encrypt ratio %.2f, decrypt ratio %.2f, amparo peak RSS %.1f MiB)\n",
              verdict(encrypt_ok && decrypt_ok && rss_ok), encrypt_ratio, decrypt_ratio,
              amparo_rss);

  if (!failures.empty()) {
    std::printf("Verification: FAIL\n");
    for (const std::string& failure : failures) std::printf("- %s\n", failure.c_str());
    std::fflush(stdout);
    return kExitFailed;
  }
  std::printf("Verification: PASS (round trips and cross-decryptions byte-identical to the input)\n");
  std::fflush(stdout);
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, options)) {
    std::cerr << kUsage;
    return kExitUsage;
  }

  // A handler, not SIG_IGN: children get default dispositions back at exec,
  // so Ctrl-C stops the running tool and the work dir is still removed.
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
  ::sigaction(SIGHUP, &action, nullptr);

  try {
    return Benchmark(options);
  } catch (const std::exception& error) {
    std::fflush(stdout);
    std::cerr << "amparo-bench-age: FAIL: " << error.what() << '\n';
    return kExitFailed;
  }
}
