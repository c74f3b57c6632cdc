// `headroom eval`'s work per line in-process, without the program's reading and writing: the
// reference path of io/cases.hpp (eval_line, then answer_text) against io/case_line.hpp
// (append_answer_line), on the lines of a file:
//   headroom_eval_lines FILE.jsonl [ROUNDS]
// prints lines/s of each path (best of ROUNDS, default 3) and whether their bytes agree.
// Make FILE with bench/make_eval_input.py (docs/performance.md).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "headroom/catalog.hpp"
#include "headroom/io/case_line.hpp"
#include "headroom/io/cases.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: headroom_eval_lines FILE.jsonl [ROUNDS]\n");
    return 2;
  }
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  const headroom::Catalog& catalog = headroom::Catalog::builtin();
  using clock = std::chrono::steady_clock;
  std::string ref, fast;
  double best_ref = 1e300, best_fast = 1e300;
  for (int r = 0; r < rounds; ++r) {
    ref.clear();
    fast.clear();
    auto t0 = clock::now();
    std::size_t n = 0;
    for (const std::string& l : lines) {
      ref += headroom::answer_text(headroom::eval_line(l, catalog, ++n));
      ref += '\n';
    }
    auto t1 = clock::now();
    n = 0;
    for (const std::string& l : lines) {
      (void)headroom::append_answer_line(fast, l, catalog, ++n);
      fast += '\n';
    }
    auto t2 = clock::now();
    best_ref = std::min(best_ref, std::chrono::duration<double>(t1 - t0).count());
    best_fast = std::min(best_fast, std::chrono::duration<double>(t2 - t1).count());
  }
  const auto count = static_cast<double>(lines.size());
  std::printf("%zu lines\nreference (eval_line + answer_text): %.0f lines/s\ncase_line (append_answer_line): %.0f lines/s\n",
              lines.size(), count / best_ref, count / best_fast);
  std::printf("answers %s\n", ref == fast ? "identical" : "DIFFER");
  return ref == fast ? 0 : 1;
}
