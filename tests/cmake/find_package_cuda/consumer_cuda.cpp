// Links the installed headroom::cuda and calls it (0 devices on a machine without a GPU is an answer).
#include <headroom/cuda/bench.hpp>

#include <cstdio>

int main() {
#if defined(HEADROOM_HAS_CUDA_BACKEND)
  std::printf("CUDA devices: %d\n", headroom::cuda::device_count());
  return 0;
#else
  std::printf("HEADROOM_HAS_CUDA_BACKEND is not defined\n");
  return 1;
#endif
}
