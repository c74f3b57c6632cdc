// Uses the installed / vendored / fetched library the way a scheduler would: no files at run time.
#include <headroom/headroom.hpp>

#include <cstdio>

int main() {
  const auto& catalog = headroom::Catalog::builtin();
  const headroom::GpuSpec& gpu = catalog.gpu("rtx-4090");
  const headroom::ParamCounts p = headroom::count_params(catalog.model("llama-3-70b"));
  std::printf("headroom %s: %s has %.0f GiB; llama-3-70b has %lld parameters\n", headroom::version_string.data(),
              gpu.name.data(), headroom::to_gib(gpu.memory), static_cast<long long>(p.total));
  return 0;
}
