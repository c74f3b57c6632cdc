#pragma once
// Force-included (-include) into the WebAssembly build only (web/CMakeLists.txt). Debian bookworm's
// emscripten 3.1.6 ships a libc++ whose <charconv> has the integer overloads but none for double;
// io/cases.hpp and io/case_line.hpp round and print answer figures with them. These four overloads
// fill the gap with the C library (emscripten's musl printf and strtod round correctly, and its locale
// is always "C"), giving the same text as a complete <charconv>: the shortest round-trip digits, fixed
// or scientific, whichever is shorter (fixed on a tie). Declared in namespace std because that is
// where the io headers look them up; compiled nowhere else.

#include <charconv>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#if defined(__EMSCRIPTEN__) && !defined(HEADROOM_WEB_NO_CHARCONV_COMPAT)

namespace headroom::web::compat {

inline std::to_chars_result put(char* first, char* last, const char* text, std::size_t n) {
  if (static_cast<std::size_t>(last - first) < n) return {last, std::errc::value_too_large};
  std::memcpy(first, text, n);
  return {first + n, std::errc{}};
}

inline std::to_chars_result printf_chars(char* first, char* last, const char* fmt, int precision, double v) {
  char buf[400];  // DBL_MAX in fixed notation has 309 integer digits
  const int n = std::snprintf(buf, sizeof buf, fmt, precision, v);
  if (n < 0 || static_cast<std::size_t>(n) >= sizeof buf) return {last, std::errc::value_too_large};
  return put(first, last, buf, static_cast<std::size_t>(n));
}

/// The shortest decimal that reads back as `v`, fixed or scientific as std::to_chars(first, last, v) writes it.
inline std::to_chars_result shortest(char* first, char* last, double v) {
  if (v != v) return put(first, last, std::signbit(v) ? "-nan" : "nan", std::signbit(v) ? 4 : 3);
  if (v == HUGE_VAL) return put(first, last, "inf", 3);
  if (v == -HUGE_VAL) return put(first, last, "-inf", 4);
  char sci[40];
  int p = 0;
  for (; p < 17; ++p) {  // p + 1 significant digits; 17 always round-trips
    std::snprintf(sci, sizeof sci, "%.*e", p, v);
    if (std::strtod(sci, nullptr) == v) break;
  }
  std::snprintf(sci, sizeof sci, "%.*e", p, v);
  // sci = [-]D[.DDD]e[+-]XX: split into sign, digits and exponent.
  std::string s(sci);
  const bool negative = s[0] == '-';
  if (negative) s.erase(0, 1);
  const std::size_t e = s.find('e');
  std::string digits = s.substr(0, e);
  const int exponent = std::atoi(s.c_str() + e + 1);
  if (const std::size_t dot = digits.find('.'); dot != std::string::npos) digits.erase(dot, 1);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  std::string fixed;
  if (digits == "0") {
    fixed = "0";
  } else if (exponent >= 0) {
    const std::size_t whole = static_cast<std::size_t>(exponent) + 1;
    if (digits.size() <= whole) {  // a whole number: all its digits, exact (as <charconv> writes 2^60 + 1)
      char buf[400];
      std::snprintf(buf, sizeof buf, "%.0f", negative ? -v : v);
      fixed = buf;
    }
    else fixed = digits.substr(0, whole) + "." + digits.substr(whole);
  } else {
    fixed = "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
  }
  std::string scientific = digits.substr(0, 1);
  if (digits.size() > 1) scientific += "." + digits.substr(1);
  char ex[8];
  std::snprintf(ex, sizeof ex, "e%c%02d", exponent < 0 ? '-' : '+', exponent < 0 ? -exponent : exponent);
  scientific += ex;
  std::string out = (negative ? "-" : "") + (fixed.size() <= scientific.size() ? fixed : scientific);
  return put(first, last, out.data(), out.size());
}

}  // namespace headroom::web::compat

namespace std {

inline to_chars_result to_chars(char* first, char* last, double v) {
  return headroom::web::compat::shortest(first, last, v);
}

inline to_chars_result to_chars(char* first, char* last, double v, chars_format fmt, int precision) {
  return headroom::web::compat::printf_chars(first, last, fmt == chars_format::fixed ? "%.*f" : fmt == chars_format::scientific ? "%.*e" : "%.*g",
                                             precision, v);
}

inline from_chars_result from_chars(const char* first, const char* last, double& value,
                                    chars_format = chars_format::general) {
  const std::string text(first, last);
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str()) return {first, errc::invalid_argument};
  const char* ptr = first + (end - text.c_str());
  // musl flags a subnormal result with ERANGE too; <charconv> reads it. Overflow and underflow to 0 fail.
  if (errno == ERANGE && (v == 0 || v == HUGE_VAL || v == -HUGE_VAL)) return {ptr, errc::result_out_of_range};
  value = v;
  return {ptr, errc{}};
}

}  // namespace std

#endif
