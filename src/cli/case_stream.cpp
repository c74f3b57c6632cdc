// The stream runner of `headroom eval` (case_stream.hpp).

#include "case_stream.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

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
/// Below this many lines a batch is answered by the calling thread alone: handing a few lines to
/// other threads costs more than it saves, and a program that writes one case and waits gets it
/// answered without a thread switch.
constexpr std::size_t min_lines_per_thread = 16;

/// The answers of lines seen before, by the bytes of the line: a stream that asks the same case
/// again (a scheduler polling the same job) gets the bytes of the first answer without parsing and
/// evaluating it again. Only answers with "ok": true are kept: they depend on the line alone (an
/// error answer names the line number). Emptied when it holds more than max_bytes. Entries are
/// found by the hash of the line, computed once per line (find, then keep), and hold the line to
/// compare: a line whose hash another line holds is answered afresh and not kept.
class AnswerCache {
 public:
  static constexpr std::size_t max_bytes = std::size_t{8} << 20;

  [[nodiscard]] static std::size_t hash(std::string_view line) noexcept { return std::hash<std::string_view>{}(line); }
  /// Appends the answer kept for `line` (whose hash is `h`) to `out`; false when there is none.
  bool append(std::string& out, std::size_t h, std::string_view line) const {
    const auto it = map_.find(h);
    if (it == map_.end() || it->second.line != line) return false;
    out += it->second.answer;
    return true;
  }
  void keep(std::size_t h, std::string_view line, std::string_view answer) {
    if (bytes_ > max_bytes) {
      map_.clear();
      bytes_ = 0;
    }
    if (map_.try_emplace(h, Entry{std::string(line), std::string(answer)}).second)
      bytes_ += line.size() + answer.size() + 96;
  }

 private:
  struct Entry {
    std::string line, answer;
  };
  std::unordered_map<std::size_t, Entry> map_;
  std::size_t bytes_ = 0;
};

/// Threads that answer the parts of a batch: part 0 on the calling thread, part i on worker i.
/// Each part writes only its own slot, so the answers are those of one thread, in the same order.
class Workers {
 public:
  explicit Workers(unsigned threads) {
    for (unsigned i = 1; i < threads; ++i) threads_.emplace_back([this, i] { loop(i); });
  }
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;
  ~Workers() {
    {
      const std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }
  [[nodiscard]] unsigned size() const { return static_cast<unsigned>(threads_.size()) + 1; }

  /// Runs job(0) .. job(parts - 1), parts <= size(), and returns when all are done; rethrows the
  /// first exception of a part.
  void run(unsigned parts, const std::function<void(unsigned)>& job) {
    errors_.assign(parts, nullptr);
    {
      const std::lock_guard lock(mutex_);
      job_ = &job;
      parts_ = parts;
      pending_ = parts - 1;
      ++generation_;
    }
    wake_.notify_all();
    call(0);
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return pending_ == 0; });
    job_ = nullptr;
    for (const auto& e : errors_)
      if (e) std::rethrow_exception(e);
  }

 private:
  void call(unsigned part) {
    try {
      (*job_)(part);
    } catch (...) {
      errors_[part] = std::current_exception();
    }
  }
  void loop(unsigned part) {
    std::uint64_t seen = 0;
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
        if (part >= parts_) continue;
      }
      call(part);
      {
        const std::lock_guard lock(mutex_);
        --pending_;
      }
      done_.notify_one();
    }
  }

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(unsigned)>* job_ = nullptr;
  std::vector<std::exception_ptr> errors_;
  unsigned parts_ = 0;
  unsigned pending_ = 0;
  std::uint64_t generation_ = 0;
  bool stop_ = false;
};

/// Answers the lines of a byte stream. `Source` has `std::ptrdiff_t read(char*, std::size_t)` (blocks
/// until at least one byte; 0 at the end) and `bool ready()` (a read would not block); `Sink` has
/// `void write(std::string_view)` and `void flush()`. With `threads` > 1 the complete lines of a
/// batch are split into contiguous parts answered in parallel and written back in input order;
/// each line's answer depends only on the line and its number, so the bytes are the same.
template <class Source, class Sink>
EvalSummary answer_lines(Source& src, Sink& sink, const Catalog& catalog, const std::function<void(std::size_t)>& on_line,
                         const EfficiencyProfile& profile, double profile_log_band, unsigned threads) {
  threads = std::max(threads, 1U);
  EvalSummary s;
  std::string data;  // bytes read and not yet answered
  std::string out;
  std::size_t number = 0;
  struct Line {
    std::string_view text;
    std::size_t number;
  };
  std::vector<Line> batch;
  // One line's cleanup as the reference does it; a blank line is counted, not answered.
  const auto take = [&](std::string_view line) {
    ++number;
    if (number == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos) {
      ++s.blank;
      return;
    }
    batch.push_back({line, number});
  };
  struct Part {
    std::string out;
    std::size_t answered = 0, failed = 0;
    AnswerCache cache;  // each thread its own: no locking, and a hit gives the same bytes anyway
  };
  std::vector<Part> parts(threads);
  // One line's answer appended to `dest` (from the part's cache when it answered the same bytes); its ok.
  const auto answer_one = [&](Part& part, std::string& dest, const Line& l) {
    bool ok = true;
    const std::size_t h = AnswerCache::hash(l.text);
    if (!part.cache.append(dest, h, l.text)) {
      const std::size_t mark = dest.size();
      ok = append_answer_line(dest, l.text, catalog, l.number, profile, profile_log_band);
      if (ok) part.cache.keep(h, l.text, std::string_view(dest).substr(mark));
    }
    dest += '\n';
    return ok;
  };
  const auto write_out = [&] {
    if (out.empty()) return;
    sink.write(out);
    out.clear();
  };
  std::unique_ptr<Workers> workers;  // started with the first batch large enough to share
  const auto answer_batch = [&] {
    const std::size_t n = batch.size();
    const auto share = static_cast<unsigned>(std::min<std::size_t>(threads, n / min_lines_per_thread));
    if (share <= 1) {
      for (std::size_t i = 0; i < n; ++i) {
        ++(answer_one(parts[0], out, batch[i]) ? s.answered : s.failed);
        if (on_line) on_line(s.answered + s.failed);
        if (out.size() >= out_block) write_out();
      }
    } else {
      if (!workers) workers = std::make_unique<Workers>(threads);
      const std::function<void(unsigned)> job = [&](unsigned p) {
        Part& part = parts[p];
        part.out.clear();
        part.answered = part.failed = 0;
        for (std::size_t i = n * p / share; i < n * (p + 1) / share; ++i)
          ++(answer_one(part, part.out, batch[i]) ? part.answered : part.failed);
      };
      workers->run(share, job);
      for (unsigned p = 0; p < share; ++p) {
        out += parts[p].out;
        const std::size_t before = s.answered + s.failed;
        s.answered += parts[p].answered;
        s.failed += parts[p].failed;
        if (on_line)
          for (std::size_t k = before + 1; k <= s.answered + s.failed; ++k) on_line(k);
        if (out.size() >= out_block) write_out();
      }
    }
    batch.clear();
  };
  // With several threads, a batch gathers what can be read without blocking, up to a block per thread.
  const std::size_t batch_bytes = read_block * threads;
  std::array<char, read_block> chunk{};
  bool at_end = false;
  while (!at_end) {
    const std::ptrdiff_t got = src.read(chunk.data(), chunk.size());
    if (got <= 0) break;
    data.append(chunk.data(), static_cast<std::size_t>(got));
    while (data.size() < batch_bytes && src.ready()) {
      const std::ptrdiff_t more = src.read(chunk.data(), chunk.size());
      if (more <= 0) {
        at_end = true;
        break;
      }
      data.append(chunk.data(), static_cast<std::size_t>(more));
    }
    // Every complete line read so far, as one batch.
    std::size_t start = 0;
    for (std::size_t nl; (nl = data.find('\n', start)) != std::string::npos; start = nl + 1)
      take(std::string_view(data).substr(start, nl - start));
    answer_batch();
    data.erase(0, start);
    // Flush only when the next read could block, so a program that writes a case and waits gets
    // its answer, and a file or a full pipe is answered in large writes.
    if (at_end || !src.ready()) {
      write_out();
      sink.flush();
    }
  }
  if (!data.empty()) {  // a last line without '\n'
    take(data);
    answer_batch();
  }
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
                        double profile_log_band, unsigned threads) {
  StreamSource src{in};
  StreamSink sink{out};
  return answer_lines(src, sink, catalog, on_line, profile, profile_log_band, threads);
}

#if !defined(_WIN32)
EvalSummary eval_fd(int in_fd, std::string_view in_name, int out_fd, std::string_view out_name, const Catalog& catalog,
                    const std::function<void(std::size_t)>& on_line, const EfficiencyProfile& profile,
                    double profile_log_band, unsigned threads) {
  FdSource src{in_fd, in_name};
  FdSink sink{out_fd, out_name};
  return answer_lines(src, sink, catalog, on_line, profile, profile_log_band, threads);
}
#endif

}  // namespace headroom::cli
