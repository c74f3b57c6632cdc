#pragma once
/// @file detail/inline.hpp
/// HEADROOM_INLINE: inline this function (or lambda) into every caller, whatever the optimizer's size
/// heuristics say. For the few small functions on the per-operator path of the time model (the builder's
/// push, the forward GEMM and elementwise kernels, the timer), whose out-of-line calls and by-value
/// operator copies cost more than their arithmetic (docs/performance.md "One evaluation"). It changes no
/// floating-point operation or its order. Empty on compilers without GNU attributes.

#if defined(__GNUC__) || defined(__clang__)
#define HEADROOM_INLINE __attribute__((always_inline))
#else
#define HEADROOM_INLINE
#endif
