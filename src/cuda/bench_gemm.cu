// GEMM throughput through cuBLASLt over LLM-layer shapes, per precision (docs/calibration.md).
//
// The call is what PyTorch's Linear does: y[M×N] = x[M×K]·W[N×K]ᵀ, i.e. in cuBLAS's column-major terms
// D(N×M) = op(W)ᵀ(N×K)·X(K×M) with A = W transposed ("TN", the layout fp8 requires). Every shape is
// checked against a reference dot product at sampled outputs before it is timed.

#include <cublasLt.h>
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_fp8.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "common.cuh"

namespace headroom::cuda {

namespace {

using detail::DeviceBuffer;
using detail::Storage;

void check_lt(cublasStatus_t s, const char* what, const char* file, int line) {
  if (s != CUBLAS_STATUS_SUCCESS)
    detail::fail(std::string(what) + ": cuBLAS status " + std::to_string(static_cast<int>(s)), file, line);
}
#define HR_LT(call) check_lt((call), #call, __FILE__, __LINE__)

// cuBLASLt handles and descriptors, released on every path out of a benchmark (errors included).
using LtHandle = detail::Owned<cublasLtHandle_t, cublasLtDestroy>;
using MatmulDesc = detail::Owned<cublasLtMatmulDesc_t, cublasLtMatmulDescDestroy>;
using Layout = detail::Owned<cublasLtMatrixLayout_t, cublasLtMatrixLayoutDestroy>;
using Preference = detail::Owned<cublasLtMatmulPreference_t, cublasLtMatmulPreferenceDestroy>;

LtHandle make_lt() {
  cublasLtHandle_t h = nullptr;
  HR_LT(cublasLtCreate(&h));
  return LtHandle(h);
}
MatmulDesc make_desc(cublasComputeType_t compute) {
  cublasLtMatmulDesc_t d = nullptr;
  HR_LT(cublasLtMatmulDescCreate(&d, compute, CUDA_R_32F));
  return MatmulDesc(d);
}
/// A column-major rows×cols matrix (leading dimension = rows).
Layout make_layout(cudaDataType_t type, std::int64_t rows, std::int64_t cols) {
  cublasLtMatrixLayout_t l = nullptr;
  HR_LT(cublasLtMatrixLayoutCreate(&l, type, static_cast<std::uint64_t>(rows), static_cast<std::uint64_t>(cols), rows));
  return Layout(l);
}
Preference make_preference() {
  cublasLtMatmulPreference_t p = nullptr;
  HR_LT(cublasLtMatmulPreferenceCreate(&p));
  return Preference(p);
}

struct PrecisionSetup {
  Precision precision;
  const char* name;
  Storage in, out;
  cudaDataType_t in_type, out_type;
  cublasComputeType_t compute;
  double tolerance;  ///< |d − ref| ≤ tolerance · Σ|a·b| + output rounding
  int min_cc;        ///< compute capability × 10
};

const PrecisionSetup setups[] = {
    {Precision::fp32, "fp32", Storage::f32, Storage::f32, CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F, 1e-5, 0},
    {Precision::tf32, "tf32", Storage::f32, Storage::f32, CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F_FAST_TF32, 2e-3, 80},
    {Precision::bf16, "bf16", Storage::bf16, Storage::bf16, CUDA_R_16BF, CUDA_R_16BF, CUBLAS_COMPUTE_32F, 1e-2, 80},
    {Precision::fp16, "fp16", Storage::f16, Storage::f16, CUDA_R_16F, CUDA_R_16F, CUBLAS_COMPUTE_32F, 5e-3, 70},
    {Precision::fp8, "fp8", Storage::e4m3, Storage::bf16, CUDA_R_8F_E4M3, CUDA_R_16BF, CUBLAS_COMPUTE_32F, 1e-2, 89},
};

struct Shape {
  std::int64_t m, n, k;
};

/// Decode (M = 1..64), prefill-sized M, the N and K ramps at fixed size, and squares. Llama-3-8B's
/// projections are 4096×4096, 14336×4096 (up/gate) and 4096×14336 (down).
std::vector<Shape> shapes(bool quick) {
  std::vector<Shape> s;
  const std::int64_t ms_full[] = {1, 8, 32, 128, 512, 2048};
  const std::int64_t ms_quick[] = {1, 32, 512};
  const Shape layers[] = {{0, 4096, 4096}, {0, 14336, 4096}, {0, 4096, 14336}};
  for (const auto& l : layers) {
    if (quick && l.n == 14336) continue;
    if (quick) {
      for (auto m : ms_quick) s.push_back({m, l.n, l.k});
    } else {
      for (auto m : ms_full) s.push_back({m, l.n, l.k});
    }
  }
  for (std::int64_t v : {256, 1024}) {
    s.push_back({4096, v, 4096});  // N ramp
    s.push_back({4096, 4096, v});  // K ramp
  }
  for (std::int64_t q : {256, 512, 1024, 2048, 4096, 8192}) {
    if (quick && (q == 512 || q == 8192)) continue;
    s.push_back({q, q, q});
  }
  return s;
}


template <class T>
__device__ float load(const void* p, std::int64_t i) {
  return static_cast<float>(static_cast<const T*>(p)[i]);
}

__device__ float load_any(const void* p, Storage t, std::int64_t i) {
  switch (t) {
    case Storage::f32: return load<float>(p, i);
    case Storage::f16: return load<__half>(p, i);
    case Storage::bf16: return load<__nv_bfloat16>(p, i);
    case Storage::e4m3: return load<__nv_fp8_e4m3>(p, i);
  }
  return 0;
}

// A is W stored K×N column-major (W row-major N×K): element (kk, row) at kk + row·K.
// B is X stored K×M column-major: element (kk, col) at kk + col·K.
__global__ void reference_dots(const void* a, const void* b, Storage t, std::int64_t k, const std::int64_t* rows,
                               const std::int64_t* cols, double* ref, double* scale, int count) {
  const int s = blockIdx.x;
  if (s >= count) return;
  double sum = 0, abs_sum = 0;
  for (std::int64_t kk = threadIdx.x; kk < k; kk += blockDim.x) {
    const double x = load_any(a, t, kk + rows[s] * k);
    const double y = load_any(b, t, kk + cols[s] * k);
    sum += x * y;
    abs_sum += fabs(x * y);
  }
  __shared__ double ps[256], pa[256];
  ps[threadIdx.x] = sum;
  pa[threadIdx.x] = abs_sum;
  __syncthreads();
  for (unsigned w = blockDim.x / 2; w > 0; w /= 2) {
    if (threadIdx.x < w) {
      ps[threadIdx.x] += ps[threadIdx.x + w];
      pa[threadIdx.x] += pa[threadIdx.x + w];
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    ref[s] = ps[0];
    scale[s] = pa[0];
  }
}

/// One shape of one precision: operands rotated across `sets` copies so that small shapes come from DRAM.
struct GemmRun {
  const PrecisionSetup& p;
  Shape shape;
  cublasLtHandle_t lt;
  void* workspace;
  std::size_t workspace_bytes;
  double l2_bytes;
};

/// The median time, or a negative value with `why` when cuBLASLt has no algorithm for the shape.
double run_shape(const GemmRun& r, const SuiteOptions& o, detail::Timer& timer, std::string& why) {
  const auto M = r.shape.m, N = r.shape.n, K = r.shape.k;
  const std::size_t in_b = detail::storage_bytes(r.p.in), out_b = detail::storage_bytes(r.p.out);
  const std::size_t a_bytes = static_cast<std::size_t>(N * K) * in_b, b_bytes = static_cast<std::size_t>(K * M) * in_b,
                    d_bytes = static_cast<std::size_t>(N * M) * out_b;
  const double set_bytes = static_cast<double>(a_bytes + b_bytes + d_bytes);
  const int sets = static_cast<int>(std::clamp(std::ceil(3.0 * r.l2_bytes / set_bytes), 1.0, 16.0));
  std::vector<DeviceBuffer> a, b, d;
  for (int i = 0; i < sets; ++i) {
    a.emplace_back(a_bytes);
    b.emplace_back(b_bytes);
    d.emplace_back(d_bytes);
    detail::fill_random(a.back().get(), r.p.in, static_cast<std::size_t>(N * K), 1000u + static_cast<unsigned>(i), timer.stream());
    detail::fill_random(b.back().get(), r.p.in, static_cast<std::size_t>(K * M), 2000u + static_cast<unsigned>(i), timer.stream());
  }

  const MatmulDesc op = make_desc(r.p.compute);
  const cublasOperation_t trans = CUBLAS_OP_T, none = CUBLAS_OP_N;
  HR_LT(cublasLtMatmulDescSetAttribute(op.get(), CUBLASLT_MATMUL_DESC_TRANSA, &trans, sizeof trans));
  HR_LT(cublasLtMatmulDescSetAttribute(op.get(), CUBLASLT_MATMUL_DESC_TRANSB, &none, sizeof none));
  const Layout la = make_layout(r.p.in_type, K, N), lb = make_layout(r.p.in_type, K, M),
               ld = make_layout(r.p.out_type, N, M);
  const Preference pref = make_preference();
  HR_LT(cublasLtMatmulPreferenceSetAttribute(pref.get(), CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &r.workspace_bytes,
                                             sizeof r.workspace_bytes));
  cublasLtMatmulHeuristicResult_t heur{};
  int found = 0;
  const cublasStatus_t hs = cublasLtMatmulAlgoGetHeuristic(r.lt, op.get(), la.get(), lb.get(), ld.get(), ld.get(),
                                                           pref.get(), 1, &heur, &found);
  double seconds = -1;
  if (hs != CUBLAS_STATUS_SUCCESS || found == 0) {
    why = "no cuBLASLt algorithm";
  } else {
    const float alpha = 1.0f, beta = 0.0f;
    auto gemm = [&](int i) {
      const auto s = static_cast<std::size_t>(i % sets);
      HR_LT(cublasLtMatmul(r.lt, op.get(), &alpha, a[s].get(), la.get(), b[s].get(), lb.get(), &beta, d[s].get(),
                           ld.get(), d[s].get(), ld.get(), &heur.algo, r.workspace, r.workspace_bytes, timer.stream()));
    };
    // Correctness first: sampled outputs of set 0 against a double-precision dot product.
    gemm(0);
    constexpr int samples = 16;
    std::vector<std::int64_t> rows(samples), cols(samples);
    std::vector<std::size_t> index(samples);
    for (int i = 0; i < samples; ++i) {
      rows[static_cast<std::size_t>(i)] = (i * 7919 + 13) % N;
      cols[static_cast<std::size_t>(i)] = (i * 104729 + 7) % M;
      index[static_cast<std::size_t>(i)] =
          static_cast<std::size_t>(rows[static_cast<std::size_t>(i)] + cols[static_cast<std::size_t>(i)] * N);
    }
    DeviceBuffer d_rows(sizeof(std::int64_t) * samples), d_cols(sizeof(std::int64_t) * samples),
        d_index(sizeof(std::size_t) * samples), d_ref(sizeof(double) * samples), d_scale(sizeof(double) * samples),
        d_got(sizeof(float) * samples);
    HR_CUDA(cudaMemcpy(d_rows.get(), rows.data(), d_rows.size(), cudaMemcpyHostToDevice));
    HR_CUDA(cudaMemcpy(d_cols.get(), cols.data(), d_cols.size(), cudaMemcpyHostToDevice));
    HR_CUDA(cudaMemcpy(d_index.get(), index.data(), d_index.size(), cudaMemcpyHostToDevice));
    reference_dots<<<samples, 256, 0, timer.stream()>>>(a[0].get(), b[0].get(), r.p.in, K, d_rows.as<std::int64_t>(),
                                                        d_cols.as<std::int64_t>(), d_ref.as<double>(),
                                                        d_scale.as<double>(), samples);
    HR_CUDA(cudaGetLastError());
    detail::gather_as_float(d[0].get(), r.p.out, d_index.as<std::size_t>(), d_got.as<float>(), samples, timer.stream());
    HR_CUDA(cudaStreamSynchronize(timer.stream()));
    std::vector<double> ref(samples), scale(samples);
    std::vector<float> got(samples);
    HR_CUDA(cudaMemcpy(ref.data(), d_ref.get(), d_ref.size(), cudaMemcpyDeviceToHost));
    HR_CUDA(cudaMemcpy(scale.data(), d_scale.get(), d_scale.size(), cudaMemcpyDeviceToHost));
    HR_CUDA(cudaMemcpy(got.data(), d_got.get(), d_got.size(), cudaMemcpyDeviceToHost));
    const double out_rounding = r.p.out == Storage::bf16 ? 1.0 / 128 : r.p.out == Storage::f16 ? 1.0 / 1024 : 1e-6;
    for (std::size_t i = 0; i < ref.size(); ++i) {
      const double err = std::fabs(static_cast<double>(got[i]) - ref[i]);
      const double allowed = r.p.tolerance * scale[i] + out_rounding * std::fabs(ref[i]) + 1e-6;
      if (!(err <= allowed))
        throw CudaError(std::string("GEMM check failed: ") + r.p.name + " " + std::to_string(M) + "x" +
                        std::to_string(N) + "x" + std::to_string(K) + " output " + std::to_string(got[i]) +
                        " vs reference " + std::to_string(ref[i]));
    }
    const double work = 2.0 * static_cast<double>(M) * static_cast<double>(N) * static_cast<double>(K);
    const int inner = work < 1e9 ? 10 : 1;  // batch tiny GEMMs so the events resolve them
    seconds = detail::time_median(timer, o.warmup, o.repeats, inner, gemm);
  }
  return seconds;
}

}  // namespace

std::vector<calibrate::GemmSample> run_gemm_sweep(const SuiteOptions& o, std::vector<std::string>& notes) {
  HR_CUDA(cudaSetDevice(o.device));
  const calibrate::DeviceInfo info = query_device(o.device);
  const int cc = static_cast<int>(std::lround(std::stod(info.compute_capability) * 10));
  const LtHandle lt = make_lt();
  constexpr std::size_t workspace_bytes = std::size_t{32} << 20;
  DeviceBuffer workspace(workspace_bytes);
  detail::Timer timer;
  std::vector<calibrate::GemmSample> out;
  const auto list = shapes(o.quick);
  for (const auto& p : setups) {
    if (cc < p.min_cc) {
      notes.push_back(std::string("gemm ") + p.name + ": not supported below sm_" + std::to_string(p.min_cc));
      continue;
    }
    for (const auto& s : list) {
      // fp32 on CUDA cores is slow: skip the largest square to keep the suite under a minute.
      if (p.precision == Precision::fp32 && s.m * s.n * s.k > std::int64_t{4096} * 4096 * 4096) continue;
      std::string why;
      const double t =
          run_shape(GemmRun{p, s, lt.get(), workspace.get(), workspace_bytes, info.l2_bytes}, o, timer, why);
      const std::string label = std::string("gemm ") + p.name + " " + std::to_string(s.m) + "x" +
                                std::to_string(s.n) + "x" + std::to_string(s.k);
      if (t <= 0) {
        notes.push_back(label + ": skipped (" + why + ")");
        continue;
      }
      calibrate::GemmSample g{s.m, s.n, s.k, p.precision, t};
      out.push_back(g);
      if (o.progress) {
        char buf[64];
        std::snprintf(buf, sizeof buf, " %.1f TFLOP/s (%.3g ms)", g.flops() / t * 1e-12, t * 1e3);
        o.progress(label + buf);
      }
    }
  }
  return out;
}

}  // namespace headroom::cuda
