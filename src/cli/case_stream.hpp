#pragma once
// The stream runner of `headroom eval`: a JSON Lines stream of cases in, one answer line per case
// out (docs/cases.md). One line is parsed and answered by headroom/io/cases.hpp.

#include <cstddef>
#include <functional>
#include <istream>
#include <ostream>
#include <string_view>

#include "headroom/catalog.hpp"
#include "headroom/efficiency.hpp"

namespace headroom::cli {

/// Counts of a stream answered by eval_stream.
struct EvalSummary {
  std::size_t answered = 0;  ///< lines answered with ok: true
  std::size_t failed = 0;    ///< lines answered with ok: false
  std::size_t blank = 0;     ///< blank lines skipped
};

/// Answers a JSON Lines stream: one answer line per non-blank input line, in input order. Blank
/// (whitespace-only) lines are skipped and get no answer line; a UTF-8 byte-order mark and a
/// trailing CR (CRLF files) are ignored. A bad line gets `{"id", "ok": false, "error"}` and the
/// following lines are still answered. Each line is answered by io/case_line.hpp
/// `append_answer_line` (the bytes of io/cases.hpp `eval_line`). Lines are answered in batches of
/// what one read returns; answers are written in blocks and flushed whenever reading on could
/// block, so a program can write a case and read its answer through a pipe. `on_line`, when set,
/// is called after each answered line with the number answered so far (for progress display).
/// `threads` > 1 answers the lines of a large batch (what can be read without blocking, up to
/// 64 KiB per thread) on that many threads and writes the answers in input order: the output is the
/// same bytes as with one thread; a batch under 16 lines per thread is answered by the caller alone.
EvalSummary eval_stream(std::istream& in, std::ostream& out, const Catalog& catalog,
                        const std::function<void(std::size_t)>& on_line = {},
                        const EfficiencyProfile& profile = builtin_efficiency, double profile_log_band = 0,
                        unsigned threads = 1);

#if !defined(_WIN32)
/// eval_stream on file descriptors (what `headroom eval` uses): read(2) in 64 KiB blocks, write(2)
/// in 64 KiB blocks, and a flush whenever poll(2) says the next read would block. A read or write
/// error is an IoError naming `in_name` / `out_name`.
EvalSummary eval_fd(int in_fd, std::string_view in_name, int out_fd, std::string_view out_name, const Catalog& catalog,
                    const std::function<void(std::size_t)>& on_line = {},
                    const EfficiencyProfile& profile = builtin_efficiency, double profile_log_band = 0,
                    unsigned threads = 1);
#endif

}  // namespace headroom::cli
