#pragma once
/// @file units.hpp
/// Zero-cost strong types for bytes, FLOPs, seconds and their rates.
///
/// Every quantity stores one double in SI base units (byte, FLOP, second). The dimension is a
/// compile-time exponent triple, so Bytes + Seconds does not compile and Bytes / Bandwidth is Seconds.
/// GB (1e9) and GiB (2^30) appear only in literals and accessors, never in storage.

namespace headroom {

template <int B, int F, int S>
struct Dim {
  static constexpr int bytes = B, flop = F, sec = S;
};

template <class D>
class Quantity {
 public:
  constexpr Quantity() noexcept = default;
  constexpr explicit Quantity(double v) noexcept : value_(v) {}
  /// Value in base units (B, FLOP, s, B/s, FLOP/s).
  [[nodiscard]] constexpr double value() const noexcept { return value_; }
  // Comparisons are those of the stored double, written out: a defaulted operator<=> returns
  // std::partial_ordering, and every a < b (std::max, std::min) then builds and tests an ordering
  // object. NaN behaves as for double: every comparison with a NaN is false except !=.
  friend constexpr bool operator==(Quantity a, Quantity b) noexcept { return a.value_ == b.value_; }
  friend constexpr bool operator<(Quantity a, Quantity b) noexcept { return a.value_ < b.value_; }
  friend constexpr bool operator>(Quantity a, Quantity b) noexcept { return a.value_ > b.value_; }
  friend constexpr bool operator<=(Quantity a, Quantity b) noexcept { return a.value_ <= b.value_; }
  friend constexpr bool operator>=(Quantity a, Quantity b) noexcept { return a.value_ >= b.value_; }

  constexpr Quantity& operator+=(Quantity o) noexcept { value_ += o.value_; return *this; }
  constexpr Quantity& operator-=(Quantity o) noexcept { value_ -= o.value_; return *this; }
  constexpr Quantity& operator*=(double k) noexcept { value_ *= k; return *this; }
  constexpr Quantity& operator/=(double k) noexcept { value_ /= k; return *this; }

  friend constexpr Quantity operator+(Quantity a, Quantity b) noexcept { return Quantity{a.value_ + b.value_}; }
  friend constexpr Quantity operator-(Quantity a, Quantity b) noexcept { return Quantity{a.value_ - b.value_}; }
  friend constexpr Quantity operator-(Quantity a) noexcept { return Quantity{-a.value_}; }
  friend constexpr Quantity operator*(Quantity a, double k) noexcept { return Quantity{a.value_ * k}; }
  friend constexpr Quantity operator*(double k, Quantity a) noexcept { return Quantity{a.value_ * k}; }
  friend constexpr Quantity operator/(Quantity a, double k) noexcept { return Quantity{a.value_ / k}; }

 private:
  double value_{};
};

namespace detail {
template <class D1, class D2>
using dim_product = Dim<D1::bytes + D2::bytes, D1::flop + D2::flop, D1::sec + D2::sec>;
template <class D1, class D2>
using dim_quotient = Dim<D1::bytes - D2::bytes, D1::flop - D2::flop, D1::sec - D2::sec>;
template <class D>
inline constexpr bool dimensionless = D::bytes == 0 && D::flop == 0 && D::sec == 0;
}  // namespace detail

/// Quantity * Quantity: a new dimension, or a plain double when dimensionless.
template <class D1, class D2>
[[nodiscard]] constexpr auto operator*(Quantity<D1> a, Quantity<D2> b) noexcept {
  using R = detail::dim_product<D1, D2>;
  if constexpr (detail::dimensionless<R>) return a.value() * b.value();
  else return Quantity<R>{a.value() * b.value()};
}

/// Quantity / Quantity: a new dimension, or a plain double (a ratio) when dimensionless.
template <class D1, class D2>
[[nodiscard]] constexpr auto operator/(Quantity<D1> a, Quantity<D2> b) noexcept {
  using R = detail::dim_quotient<D1, D2>;
  if constexpr (detail::dimensionless<R>) return a.value() / b.value();
  else return Quantity<R>{a.value() / b.value()};
}

using Bytes = Quantity<Dim<1, 0, 0>>;
using Flops = Quantity<Dim<0, 1, 0>>;       ///< a count of floating-point operations
using Seconds = Quantity<Dim<0, 0, 1>>;
using Bandwidth = Quantity<Dim<1, 0, -1>>;  ///< bytes per second
using FlopRate = Quantity<Dim<0, 1, -1>>;   ///< FLOP per second
using Intensity = Quantity<Dim<-1, 1, 0>>;  ///< FLOP per byte (roofline x axis)

inline constexpr double bytes_per_gib = 1073741824.0;  // 2^30
inline constexpr double bytes_per_mib = 1048576.0;     // 2^20
inline constexpr double bytes_per_gb = 1e9;

[[nodiscard]] constexpr Bytes gib(double v) noexcept { return Bytes{v * bytes_per_gib}; }
[[nodiscard]] constexpr Bytes mib(double v) noexcept { return Bytes{v * bytes_per_mib}; }
[[nodiscard]] constexpr Bytes gb(double v) noexcept { return Bytes{v * bytes_per_gb}; }
[[nodiscard]] constexpr Bandwidth gb_per_s(double v) noexcept { return Bandwidth{v * 1e9}; }
[[nodiscard]] constexpr FlopRate tflops(double v) noexcept { return FlopRate{v * 1e12}; }

[[nodiscard]] constexpr double to_gib(Bytes b) noexcept { return b.value() / bytes_per_gib; }
[[nodiscard]] constexpr double to_mib(Bytes b) noexcept { return b.value() / bytes_per_mib; }
[[nodiscard]] constexpr double to_gb(Bytes b) noexcept { return b.value() / bytes_per_gb; }
[[nodiscard]] constexpr double to_gb_per_s(Bandwidth bw) noexcept { return bw.value() / 1e9; }
[[nodiscard]] constexpr double to_tflops(FlopRate r) noexcept { return r.value() / 1e12; }

template <class D>
[[nodiscard]] constexpr Quantity<D> max(Quantity<D> a, Quantity<D> b) noexcept { return a < b ? b : a; }
template <class D>
[[nodiscard]] constexpr Quantity<D> min(Quantity<D> a, Quantity<D> b) noexcept { return b < a ? b : a; }

namespace literals {
constexpr Bytes operator""_B(unsigned long long v) noexcept { return Bytes{static_cast<double>(v)}; }
constexpr Bytes operator""_KiB(unsigned long long v) noexcept { return Bytes{static_cast<double>(v) * 1024.0}; }
constexpr Bytes operator""_MiB(unsigned long long v) noexcept { return mib(static_cast<double>(v)); }
constexpr Bytes operator""_GiB(unsigned long long v) noexcept { return gib(static_cast<double>(v)); }
constexpr Bytes operator""_GiB(long double v) noexcept { return gib(static_cast<double>(v)); }
constexpr Bytes operator""_MB(unsigned long long v) noexcept { return Bytes{static_cast<double>(v) * 1e6}; }
constexpr Bytes operator""_GB(unsigned long long v) noexcept { return gb(static_cast<double>(v)); }
constexpr Bytes operator""_GB(long double v) noexcept { return gb(static_cast<double>(v)); }
constexpr Bandwidth operator""_GBps(unsigned long long v) noexcept { return gb_per_s(static_cast<double>(v)); }
constexpr Bandwidth operator""_GBps(long double v) noexcept { return gb_per_s(static_cast<double>(v)); }
constexpr FlopRate operator""_TFLOPS(unsigned long long v) noexcept { return tflops(static_cast<double>(v)); }
constexpr FlopRate operator""_TFLOPS(long double v) noexcept { return tflops(static_cast<double>(v)); }
constexpr Flops operator""_GFLOP(unsigned long long v) noexcept { return Flops{static_cast<double>(v) * 1e9}; }
constexpr Seconds operator""_s(unsigned long long v) noexcept { return Seconds{static_cast<double>(v)}; }
constexpr Seconds operator""_ms(unsigned long long v) noexcept { return Seconds{static_cast<double>(v) * 1e-3}; }
constexpr Seconds operator""_us(unsigned long long v) noexcept { return Seconds{static_cast<double>(v) * 1e-6}; }
}  // namespace literals

}  // namespace headroom
