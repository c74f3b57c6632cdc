#pragma once
/// @file cuda/error.hpp
/// The error of the CUDA calibration backend (headroom::cuda). Plain C++: no CUDA header, so the CLI's
/// error handler maps it to its exit code without linking CUDA.

#include "headroom/error.hpp"

namespace headroom::cuda {

/// A failed CUDA / cuBLAS / NCCL call, or a benchmark whose result check failed.
class CudaError : public Error {
 public:
  using Error::Error;
};

}  // namespace headroom::cuda
