// The stream runner of `headroom eval` (case_stream.hpp).

#include "case_stream.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <string>
#include <string_view>

#include "headroom/error.hpp"
#include "headroom/io/case_line.hpp"

#if !defined(_WIN32)
#include <poll.h>
#include <unistd.h>
#endif

namespace headroom::cli {

namespace {

/// Answers are written out in blocks of about this size, or sooner when reading on could block.
constexpr std::size_t out_block = std::size_t{1} << 16;
constexpr std::size_t read_block = std::size_t{1} << 16;

/// Answers the lines of a byte stream. `Source` has `std::ptrdiff_t read(char*, std::size_t)` (blocks
/// until at least one byte; 0 at the end) and `bool ready()` (a read would not block); `Sink` has
/// `void write(std::string_view)` and `void flush()`.
template <class Source, class Sink>
EvalSummary answer_lines(Source& src, Sink& sink, const Catalog& catalog, const std::function<void(std::size_t)>& on_line,
                         const EfficiencyProfile& profile, double profile_log_band) {
  EvalSummary s;
  std::string data;  // bytes read and not yet answered; starts at `start`
  std::size_t start = 0;
  std::string out;
  std::size_t number = 0;
  const auto answer = [&](std::string_view line) {
    ++number;
    if (number == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos) {
      ++s.blank;
      return;
    }
    (append_answer_line(out, line, catalog, number, profile, profile_log_band) ? s.answered : s.failed) += 1;
    out += '\n';
    if (on_line) on_line(s.answered + s.failed);
  };
  const auto write_out = [&] {
    if (out.empty()) return;
    sink.write(out);
    out.clear();
  };
  std::array<char, read_block> chunk{};
  for (;;) {
    // Every complete line read so far, as one batch.
    for (std::size_t nl; (nl = data.find('\n', start)) != std::string::npos; start = nl + 1) {
      answer(std::string_view(data).substr(start, nl - start));
      if (out.size() >= out_block) write_out();
    }
    data.erase(0, start);
    start = 0;
    // Flush only when the next read could block, so a program that writes a case and waits gets
    // its answer, and a file or a full pipe is answered in large writes.
    if (!src.ready()) {
      write_out();
      sink.flush();
    }
    const std::ptrdiff_t n = src.read(chunk.data(), chunk.size());
    if (n <= 0) break;
    data.append(chunk.data(), static_cast<std::size_t>(n));
  }
  if (!data.empty()) answer(data);  // a last line without '\n'
  write_out();
  sink.flush();
  return s;
}

struct StreamSource {
  std::istream& in;
  bool ready() const { return in.rdbuf() != nullptr && in.rdbuf()->in_avail() > 0; }
  std::ptrdiff_t read(char* buf, std::size_t cap) {
    std::streambuf* b = in.rdbuf();
    if (b == nullptr || !in.good()) return 0;
    const std::streamsize avail = b->in_avail();
    if (avail > 0) return static_cast<std::ptrdiff_t>(b->sgetn(buf, std::min<std::streamsize>(avail, static_cast<std::streamsize>(cap))));
    const auto c = b->sbumpc();  // blocks for the next byte
    if (std::char_traits<char>::eq_int_type(c, std::char_traits<char>::eof())) {
      in.setstate(std::ios::eofbit);
      return 0;
    }
    buf[0] = std::char_traits<char>::to_char_type(c);
    return 1;
  }
};

struct StreamSink {
  std::ostream& out;
  void write(std::string_view s) { out.write(s.data(), static_cast<std::streamsize>(s.size())); }
  void flush() { out.flush(); }
};

#if !defined(_WIN32)
struct FdSource {
  int fd;
  std::string_view name;
  bool ready() const {
    pollfd p{fd, POLLIN, 0};
    int r;
    while ((r = ::poll(&p, 1, 0)) < 0 && errno == EINTR) {
    }
    return r > 0;  // readable, at its end, or in error: read() says which without blocking
  }
  std::ptrdiff_t read(char* buf, std::size_t cap) const {
    for (;;) {
      const auto n = ::read(fd, buf, cap);
      if (n >= 0) return n;
      if (errno != EINTR) throw IoError("error while reading '" + std::string(name) + "'");
    }
  }
};

struct FdSink {
  int fd;
  std::string_view name;
  void write(std::string_view s) const {
    while (!s.empty()) {
      const auto n = ::write(fd, s.data(), s.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw IoError("cannot write '" + std::string(name) + "'");
      s.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  void flush() const {}
};
#endif

}  // namespace

EvalSummary eval_stream(std::istream& in, std::ostream& out, const Catalog& catalog,
                        const std::function<void(std::size_t)>& on_line, const EfficiencyProfile& profile,
                        double profile_log_band) {
  StreamSource src{in};
  StreamSink sink{out};
  return answer_lines(src, sink, catalog, on_line, profile, profile_log_band);
}

#if !defined(_WIN32)
EvalSummary eval_fd(int in_fd, std::string_view in_name, int out_fd, std::string_view out_name, const Catalog& catalog,
                    const std::function<void(std::size_t)>& on_line, const EfficiencyProfile& profile,
                    double profile_log_band) {
  FdSource src{in_fd, in_name};
  FdSink sink{out_fd, out_name};
  return answer_lines(src, sink, catalog, on_line, profile, profile_log_band);
}
#endif

}  // namespace headroom::cli
