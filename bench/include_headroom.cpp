// A translation unit that includes the umbrella header and answers one job: bench/measure.sh times
// its compilation (docs/performance.md).
#include "headroom/headroom.hpp"

int main() {
  headroom::Job w;
  w.hardware.gpu = &headroom::Catalog::builtin().gpu("rtx-4090");
  w.model = &headroom::Catalog::builtin().model("llama-3-8b");
  return headroom::evaluate(w).memory.fits ? 0 : 1;
}
