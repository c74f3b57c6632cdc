#pragma once
/// @file calibrate/fit.hpp
/// Opt-in (needs Eigen 3.4): calibration samples -> the efficiency terms the time model consumes
/// (docs/reference/formulas.md §5.2), and the EfficiencyProfile that carries them.
///
/// - Memory: Hockney t = α + S/β per op by weighted linear least squares with weights 1/t² (relative
///   error across decades of S). With the time model's η_m(S) = η·S/(S + S½) the DRAM time is
///   S/(η_m·BW) = S½/(η·BW) + S/(η·BW), so η = β/BW and S½ = (α − t_launch)·β: the kernel's fixed cost
///   is paid once, by kernel_launch.
/// - GEMM: η_c(M,N,K) = η_p · M/(M+M½) · N/(N+N½) · K/(K+K½), fitted by Levenberg-Marquardt on
///   ln t with the time model's own form t̂ = max(2MNK/(η_c·P_p), bytes/(η_m·BW)) + t_launch, so
///   memory-bound decode shapes inform only the memory roof.
/// - Overheads: kernel_launch = median GPU time per empty kernel.
///
/// A sweep that cannot determine the parameters (all samples at one size, one precision only memory
/// bound, too few samples) is reported in FitResult::diagnostics and the part is not marked ok: the rank
/// of the (column-scaled) design or Jacobian is checked with ColPivHouseholderQR::rank(), because
/// info() says Success even for a rank-deficient matrix.

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "headroom/calibrate/samples.hpp"
#include "headroom/efficiency.hpp"
#include "headroom/gpu.hpp"
#include "headroom/roofline.hpp"
#include "headroom/string_store.hpp"

namespace headroom::calibrate {

struct FitOptions {
  int max_iterations = 200;
  double rank_threshold = 1e-7;  ///< relative pivot threshold of the rank check
};

namespace detail {

/// Residual summary: rms with n − p degrees of freedom, split-conformal 80% half-width.
[[nodiscard]] inline Residuals summarize(std::vector<double> r, int parameters) {
  Residuals out;
  out.log_ratio = r;
  out.parameters = parameters;
  const auto n = static_cast<int>(r.size());
  double ss = 0;
  for (double x : r) ss += x * x;
  out.rms = n > parameters ? std::sqrt(ss / (n - parameters)) : 0.0;
  std::vector<double> a;
  for (double x : r) a.push_back(std::fabs(x));
  std::sort(a.begin(), a.end());
  if (!a.empty()) {
    const auto k = static_cast<std::size_t>(std::ceil((n + 1) * 0.8));
    out.q80 = a[std::min(k, a.size()) - 1];
  }
  return out;
}

[[nodiscard]] inline std::size_t distinct(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return static_cast<std::size_t>(std::unique(v.begin(), v.end()) - v.begin());
}

}  // namespace detail

/// Hockney fit of (bytes, seconds) pairs. `datasheet_bw` in bytes/s; `kernel_launch` in s.
[[nodiscard]] inline BandwidthFit fit_bandwidth(std::span<const double> bytes, std::span<const double> seconds,
                                                double datasheet_bw, double kernel_launch, std::string_view part,
                                                std::vector<Diagnostic>& diagnostics, const FitOptions& opt = {}) {
  BandwidthFit f;
  const std::size_t n = std::min(bytes.size(), seconds.size());
  const std::string name(part);
  if (n < 3) {
    diagnostics.push_back({name, "needs at least 3 samples at different sizes; got " + std::to_string(n)});
    return f;
  }
  // Rows [1/t, (S/s0)/t]·[α, s0/β] = 1: weights 1/t² on t ≈ α + S/β; S scaled by its median for the rank check.
  std::vector<double> sorted(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
  std::sort(sorted.begin(), sorted.end());
  const double s0 = sorted[n / 2] > 0 ? sorted[n / 2] : 1.0;
  Eigen::MatrixXd A(static_cast<Eigen::Index>(n), 2);
  Eigen::VectorXd b = Eigen::VectorXd::Ones(static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    if (!(seconds[i] > 0) || !(bytes[i] > 0)) {
      diagnostics.push_back({name, "sample " + std::to_string(i) + " has a non-positive size or time"});
      return f;
    }
    A(r, 0) = 1.0 / seconds[i];
    A(r, 1) = bytes[i] / s0 / seconds[i];
  }
  // Column scaling so the rank threshold compares like with like.
  const Eigen::Vector2d scale(A.col(0).norm(), A.col(1).norm());
  const Eigen::MatrixXd As = A * scale.cwiseInverse().asDiagonal();
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(As);
  qr.setThreshold(opt.rank_threshold);
  if (qr.rank() < 2 || detail::distinct(std::vector<double>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n))) < 2) {
    diagnostics.push_back({name, "rank-deficient sweep: all " + std::to_string(n) +
                                     " samples at one size, so the fixed cost and the bandwidth cannot be separated"});
    return f;
  }
  const Eigen::Vector2d x = qr.solve(b).cwiseQuotient(scale);
  double alpha = x(0);
  const double inv_beta = x(1) / s0;
  if (!(inv_beta > 0)) {
    diagnostics.push_back({name, "fitted bandwidth is not positive (time does not grow with size)"});
    return f;
  }
  if (alpha < 0) alpha = 0;  // noise around a negligible fixed cost
  f.alpha_s = alpha;
  f.beta = 1.0 / inv_beta;
  f.eta_max = datasheet_bw > 0 ? f.beta / datasheet_bw : 0.0;
  f.half_bytes = std::max(alpha - kernel_launch, 0.0) * f.beta;
  std::vector<double> r;
  for (std::size_t i = 0; i < n; ++i) r.push_back(std::log(seconds[i] / (alpha + bytes[i] * inv_beta)));
  f.residuals = detail::summarize(std::move(r), 2);
  f.ok = true;
  return f;
}

/// The memory time the time model gives a GEMM's traffic under a fitted copy bandwidth (0 when not fitted).
[[nodiscard]] inline double memory_roof(const BandwidthFit& copy, double datasheet_bw, double traffic) noexcept {
  if (!copy.ok || datasheet_bw <= 0) return 0;
  const double eta = copy.eta_max * traffic / (traffic + copy.half_bytes);
  return traffic / (datasheet_bw * eta);
}

/// The GEMM surface from samples of any precisions. `memory` (the copy fit) gives the memory roof.
[[nodiscard]] inline GemmFit fit_gemm(std::span<const GemmSample> samples, const GpuSpec& gpu, const BandwidthFit& memory,
                                      double kernel_launch, std::vector<Diagnostic>& diagnostics,
                                      const FitOptions& opt = {}) {
  GemmFit f;
  const double bw = gpu.memory_bandwidth.value();
  // Parameter layout: one ln η per measured precision, then ln M½, ln N½, ln K½.
  std::array<int, names::count<Precision>> column{};
  column.fill(-1);
  int p = 0;
  std::vector<const GemmSample*> used;
  for (const auto& s : samples) {
    const auto pi = static_cast<std::size_t>(s.precision);
    if (headroom::detail::peak_with_fallback(gpu, s.precision).value() <= 0) continue;
    if (!(s.seconds > 0) || s.m <= 0 || s.n <= 0 || s.k <= 0) {
      diagnostics.push_back({"gemm", "a sample has a non-positive shape or time"});
      return f;
    }
    if (column[pi] < 0) column[pi] = p++;
    used.push_back(&s);
  }
  const int shape_base = p;
  p += 3;
  const auto n = static_cast<Eigen::Index>(used.size());
  if (n < p + 1) {
    diagnostics.push_back({"gemm", "needs more samples than parameters (" + std::to_string(p) + "); got " +
                                       std::to_string(n)});
    return f;
  }
  {
    std::vector<double> ms, ns, ks;
    for (const auto* s : used) {
      ms.push_back(static_cast<double>(s->m));
      ns.push_back(static_cast<double>(s->n));
      ks.push_back(static_cast<double>(s->k));
    }
    const char* dim[] = {"M", "N", "K"};
    const std::vector<double>* v[] = {&ms, &ns, &ks};
    for (int d = 0; d < 3; ++d)
      if (detail::distinct(*v[d]) < 2) {
        diagnostics.push_back({"gemm", std::string("degenerate sweep: every sample has the same ") + dim[d] +
                                           ", so its knee cannot be separated from the peak efficiency"});
        return f;
      }
  }
  Eigen::VectorXd theta(p);
  for (std::size_t pi = 0; pi < column.size(); ++pi) {
    if (column[pi] < 0) continue;
    double best = 1e-3;
    for (const auto* s : used) {
      if (static_cast<std::size_t>(s->precision) != pi) continue;
      const double peak = headroom::detail::peak_with_fallback(gpu, s->precision).value();
      const double t = std::max(s->seconds - kernel_launch, 0.1 * s->seconds);
      best = std::max(best, s->flops() / (t * peak));
    }
    theta(column[pi]) = std::log(std::min(best, 1.0));
  }
  for (int d = 0; d < 3; ++d) theta(shape_base + d) = std::log(64.0);

  // ln t̂ and its Jacobian at theta.
  auto evaluate = [&](const Eigen::VectorXd& th, Eigen::VectorXd& r, Eigen::MatrixXd* J) {
    r.resize(n);
    if (J) J->setZero(n, p);
    const double mh = std::exp(th(shape_base)), nh = std::exp(th(shape_base + 1)), kh = std::exp(th(shape_base + 2));
    for (Eigen::Index i = 0; i < n; ++i) {
      const GemmSample& s = *used[static_cast<std::size_t>(i)];
      const int c = column[static_cast<std::size_t>(s.precision)];
      const double M = static_cast<double>(s.m), N = static_cast<double>(s.n), K = static_cast<double>(s.k);
      const double eta = std::exp(th(c)) * M / (M + mh) * N / (N + nh) * K / (K + kh);
      const double compute = s.flops() / (eta * headroom::detail::peak_with_fallback(gpu, s.precision).value());
      const double mem = memory_roof(memory, bw, s.bytes());
      const double roof = std::max(compute, mem);
      const double t_hat = roof + kernel_launch;
      r(i) = std::log(t_hat) - std::log(s.seconds);
      if (J && compute >= mem) {
        const double w = compute / t_hat;  // d ln t̂ / d ln compute
        (*J)(i, c) = -w;
        (*J)(i, shape_base) = w * mh / (M + mh);
        (*J)(i, shape_base + 1) = w * nh / (N + nh);
        (*J)(i, shape_base + 2) = w * kh / (K + kh);
      }
    }
  };

  Eigen::VectorXd r;
  Eigen::MatrixXd J;
  evaluate(theta, r, &J);
  double cost = r.squaredNorm();
  double lambda = 1e-3;
  int it = 0;
  for (; it < opt.max_iterations; ++it) {
    const Eigen::MatrixXd JtJ = J.transpose() * J;
    const Eigen::VectorXd g = J.transpose() * r;
    Eigen::MatrixXd A = JtJ;
    A.diagonal() += lambda * (JtJ.diagonal().array() + 1e-12).matrix();
    const Eigen::VectorXd step = A.ldlt().solve(-g);
    Eigen::VectorXd trial = theta + step;
    // Knees stay within [1e-3, 1e6]: a shape term outside that has no meaning on a GPU.
    for (int d = 0; d < 3; ++d) trial(shape_base + d) = std::clamp(trial(shape_base + d), std::log(1e-3), std::log(1e6));
    // eta_max is a fraction of the datasheet peak: bounded by 1 (ln η <= 0). With knees shared across
    // precisions, an unbounded fit trades a precision's η above 1 against knees set by the others.
    for (std::size_t pi = 0; pi < column.size(); ++pi)
      if (column[pi] >= 0) trial(column[pi]) = std::min(trial(column[pi]), 0.0);
    Eigen::VectorXd r_trial;
    evaluate(trial, r_trial, nullptr);
    const double c_trial = r_trial.squaredNorm();
    if (std::isfinite(c_trial) && c_trial < cost) {
      const double gain = cost - c_trial;
      theta = trial;
      cost = c_trial;
      evaluate(theta, r, &J);
      lambda = std::max(lambda / 3, 1e-12);
      if (gain < 1e-14 * (1 + cost)) break;
    } else {
      lambda *= 4;
      if (lambda > 1e12) break;
    }
  }
  f.iterations = it;

  // Identifiability at the solution: rank of the column-scaled Jacobian.
  Eigen::VectorXd norms = J.colwise().norm().transpose();
  for (Eigen::Index c = 0; c < norms.size(); ++c)
    if (norms(c) == 0) norms(c) = 1;
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(J * norms.cwiseInverse().asDiagonal());
  qr.setThreshold(opt.rank_threshold);
  const auto rank = qr.rank();
  Eigen::VectorXd raw_norms = J.colwise().norm().transpose();
  if (rank < p) {
    std::string which;
    for (std::size_t pi = 0; pi < column.size(); ++pi)
      if (column[pi] >= 0 && raw_norms(column[pi]) == 0)
        which += std::string(which.empty() ? "" : ", ") + "eta_max[" +
                 std::string(to_string(static_cast<Precision>(pi))) + "] (every sample memory-bound)";
    diagnostics.push_back({"gemm", "rank-deficient sweep: the Jacobian has rank " + std::to_string(rank) + " of " +
                                       std::to_string(p) + " parameters" + (which.empty() ? "" : ": " + which)});
    return f;
  }
  for (std::size_t pi = 0; pi < column.size(); ++pi) {
    f.measured[pi] = column[pi] >= 0;
    if (f.measured[pi]) f.eta_max[pi] = std::exp(theta(column[pi]));
  }
  f.m_half = std::exp(theta(shape_base));
  f.n_half = std::exp(theta(shape_base + 1));
  f.k_half = std::exp(theta(shape_base + 2));
  std::vector<double> res;
  for (Eigen::Index i = 0; i < n; ++i) res.push_back(-r(i));  // ln(measured / fitted)
  f.residuals = detail::summarize(std::move(res), p);
  f.ok = true;
  return f;
}

/// Fits every part of a calibration run against the datasheet record of the measured GPU.
[[nodiscard]] inline FitResult fit(const Samples& s, const GpuSpec& gpu, const FitOptions& opt = {}) {
  FitResult out;
  std::vector<double> launch;
  for (const auto& l : s.launch) launch.push_back(l.gpu_seconds);
  std::vector<double> host;
  for (const auto& l : s.launch) host.push_back(l.host_seconds);
  auto median = [](std::vector<double> v) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
  };
  out.kernel_launch_s = median(launch);
  out.host_launch_s = median(host);
  if (launch.empty()) out.diagnostics.push_back({"launch", "no launch-overhead sample"});

  const double bw = gpu.memory_bandwidth.value();
  auto memory_fit = [&](MemoryOp op, bool l2, std::string_view part) {
    std::vector<double> b, t;
    for (const auto& m : s.memory)
      if (m.op == op && m.l2_resident == l2) {
        b.push_back(m.bytes);
        t.push_back(m.seconds);
      }
    std::vector<Diagnostic> local;
    auto f = fit_bandwidth(b, t, bw, out.kernel_launch_s, part, local, opt);
    // Only the copy fit feeds the profile; the others are reported when they fail but do not block it.
    if (op == MemoryOp::copy && !l2) out.diagnostics.insert(out.diagnostics.end(), local.begin(), local.end());
    return f;
  };
  out.copy = memory_fit(MemoryOp::copy, false, "memory copy");
  out.read = memory_fit(MemoryOp::read, false, "memory read");
  out.write = memory_fit(MemoryOp::write, false, "memory write");
  out.l2 = memory_fit(MemoryOp::copy, true, "memory copy (L2)");
  out.gemm = fit_gemm(s.gemm, gpu, out.copy, out.kernel_launch_s, out.diagnostics, opt);
  for (const auto& t : s.transfers) {
    if (t.kind == TransferKind::host_to_device) out.h2d_bandwidth = std::max(out.h2d_bandwidth, t.bytes / t.seconds);
    if (t.kind == TransferKind::device_to_host) out.d2h_bandwidth = std::max(out.d2h_bandwidth, t.bytes / t.seconds);
  }
  out.log_band = std::sqrt(out.gemm.residuals.q80 * out.gemm.residuals.q80 + out.copy.residuals.q80 * out.copy.residuals.q80);
  return out;
}

/// `base` with the measured GPU's family replaced by the fit: η per measured precision (the others
/// keep base's), the knees, η_m and S½ from the copy fit, kernel_launch. Runtime terms stay base's.
/// Strings are kept in `store`. Call only with fit.ok() (or accept the base's values for failed parts).
[[nodiscard]] inline EfficiencyProfile make_profile(const FitResult& fit, const GpuSpec& gpu, std::string_view name,
                                                    std::string_view source, StringStore& store,
                                                    const EfficiencyProfile& base = builtin_efficiency) {
  EfficiencyProfile p = base;
  p.name = store.keep(name);
  p.source = store.keep(source);
  FamilyEfficiency& fe = p.family[static_cast<std::size_t>(gpu_family(gpu))];
  if (fit.gemm.ok) {
    for (std::size_t i = 0; i < fe.gemm.eta_max.size(); ++i)
      if (fit.gemm.measured[i]) fe.gemm.eta_max[i] = fit.gemm.eta_max[i];
    fe.gemm.m_half = fit.gemm.m_half;
    fe.gemm.n_half = fit.gemm.n_half;
    fe.gemm.k_half = fit.gemm.k_half;
  }
  if (fit.copy.ok) fe.memory = MemoryEfficiency{fit.copy.eta_max, Bytes{fit.copy.half_bytes}};
  if (fit.kernel_launch_s > 0) fe.kernel_launch = Seconds{fit.kernel_launch_s};
  fe.source = p.source;
  return p;
}

}  // namespace headroom::calibrate
