// Prints the <charconv> results the io headers rely on for a fixed list of doubles and a deterministic
// spread of random ones. Built twice: by the host compiler with its complete <charconv>, and by em++ with
// web/engine/charconv_compat.hpp force-included; the test web-charconv compares the two outputs line by line.

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <system_error>

namespace {

void show(double v) {
  char buf[512];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  std::fwrite(buf, 1, static_cast<std::size_t>(r.ptr - buf), stdout);
  for (int precision : {0, 4, 17}) {
    r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, precision);
    std::printf(" %.*s", static_cast<int>(r.ptr - buf), r.ec == std::errc{} ? buf : "E");
    r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific, precision);
    std::printf(" %.*s", static_cast<int>(r.ptr - buf), r.ec == std::errc{} ? buf : "E");
  }
  // What round_to and round_sig do: the shortest text read back.
  r = std::to_chars(buf, buf + sizeof buf, v);
  double back = 0;
  const auto f = std::from_chars(buf, r.ptr, back);
  std::printf(" %s\n", f.ec == std::errc{} && f.ptr == r.ptr && (back == v || v != v) ? "round-trips" : "LOST");
}

}  // namespace

int main() {
  const double fixed[] = {0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 2.5, 100.0, 1e15, 1e16, 1e21, 1e22, 1e23,
                          123456.0, 1234567890123456789.0, 9007199254740993.0, 1e-5, 0.00012, 0.67873,
                          12345678.9, -3.25e-7, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
                          137.8304, 0.043, 1410.7, std::numeric_limits<double>::infinity(),
                          -std::numeric_limits<double>::infinity()};
  for (double v : fixed) show(v);
  // A deterministic spread over the whole range of doubles (64-bit LCG, Knuth's MMIX constants).
  std::uint64_t x = 0x2545F4914F6CDD1DULL;
  for (int i = 0; i < 3000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    double v;
    const std::uint64_t bits = x >> 1;  // finite and non-negative unless the exponent is all ones
    std::memcpy(&v, &bits, sizeof v);
    if (v != v || v == std::numeric_limits<double>::infinity()) continue;
    show(i % 2 ? v : -v);
  }
  // Answer-sized figures: GiB, seconds, rates with few digits.
  for (int i = 0; i < 2000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    show(static_cast<double>(x >> 40) / 10000.0);
  }
}
