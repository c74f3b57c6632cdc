// Uses the installed / vendored / fetched library the way a scheduler would: no files at run time.
#include <headroom/headroom.hpp>

#include <cstdio>

int main() {
  const auto& catalog = headroom::Catalog::builtin();
  std::printf("headroom %s: %zu GPUs, %zu models\n", headroom::version_string.data(), catalog.gpus().size(),
              catalog.models().size());
  return 0;
}
