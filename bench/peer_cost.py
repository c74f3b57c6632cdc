#!/usr/bin/env python3
"""In-process cost per case of llm-analysis (a pure-Python peer) and of headroom's Python module.

    python3 bench/peer_cost.py --llm-analysis /path/to/llm-analysis [--calls N] [--rounds K]
                               [--headroom DIR]

Both sides are timed the same way, in this one Python process: time.perf_counter around N calls of
the tool's in-process entry point for a case, K rounds, the best round divided by N. The cases are
the same jobs on both sides, named with each tool's own catalog (llm-analysis's bundled model and
GPU configs; headroom's catalog ids). What one call computes (docs/performance.md, "Beside
llm-analysis"):

- llm-analysis `infer(...)` / `train(...)` (llm_analysis/analysis.py): looks the model, GPU and
  dtype configs up by name, builds an `LLMAnalysis`, and returns its summary dict (inference: 47
  entries: parameter counts, weight / KV-cache / activation memory per GPU, prefill and decode
  latency by part, tokens/s; training: 69 entries: memory by part, peak memory per GPU, latency
  per micro-batch and per iteration by part).
- headroom `headroom.evaluate(case)`: writes the case dict as JSON, parses it with the strict case
  parser, looks the model and GPU up in the catalog, evaluates memory (with breakdown, fit,
  headroom), time (prefill, decode, TTFT; or step time, MFU, HFU) and the uncertainty bands, writes
  the answer JSON, and reads it back into an `Answer`. `headroom.evaluate([case] * N)` does the same
  for a list, answered in C++ in one call: its figure is per case. The C++ part alone,
  `headroom._headroom.evaluate_lines([text])` (case JSON text in, answer JSON text out), is timed too.

llm-analysis is not part of this repository: pass a checkout of it (its `llm_analysis` package is
imported from there). It imports `fire` (its command line) at module level; when `fire` is not
installed (Debian: python3-fire) a stub module stands in, which is enough since `fire.Fire` is only
called under `if __name__ == "__main__"`. The script says which it used.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import types

# Each case: name, what it is, llm-analysis entry ("infer" or "train") and its keyword arguments,
# headroom case. Model Llama 2 7B on both sides (llm-analysis bundles no Llama 3 config), bf16.
LA_MODEL = "NousResearch_Llama-2-7b-hf"
LA_DTYPE = "w16a16e16"  # weights, activations and embeddings 16-bit


def _decode(gpu_la, gpu_hr, batch):
    return (
        "infer",
        dict(model_name=LA_MODEL, gpu_name=gpu_la, dtype_name=LA_DTYPE, log_level="ERROR",
             batch_size_per_gpu=batch, seq_len=512, num_tokens_to_generate=128),
        {"model": "llama-2-7b", "gpu": gpu_hr, "prompt": 512, "generate": 128, "batch": batch},
    )


CASES = [
    ("decode A100 b1", "Llama 2 7B, 1 x A100 SXM 80GB, prompt 512, generate 128, batch 1",
     *_decode("a100-sxm-80gb", "a100-sxm4-80gb", 1)),
    ("decode A100 b16", "the same, batch 16", *_decode("a100-sxm-80gb", "a100-sxm4-80gb", 16)),
    ("decode H100 b64", "Llama 2 7B, 1 x H100 SXM 80GB, prompt 512, generate 128, batch 64",
     *_decode("h100-sxm-80gb", "h100-sxm5-80gb", 64)),
    ("training 8xA100", "Llama 2 7B full fine-tuning, 8 x A100 SXM 80GB, dp 8, ZeRO-3, micro-batch 4, "
     "seq 2048, full activation recomputation",
     "train",
     dict(model_name=LA_MODEL, gpu_name="a100-sxm-80gb", dtype_name=LA_DTYPE, log_level="ERROR",
          batch_size_per_gpu=4, seq_len=2048, total_num_gpus=8, ds_zero=3,
          activation_recomputation=4),  # ActivationRecomputation.FULL
     {"model": "llama-2-7b", "gpu": "a100-sxm4-80gb", "gpus": 8, "task": "training", "method": "full",
      "batch": 4, "seq": 2048, "grad_checkpointing": "full", "parallel": {"dp": 8, "zero": 3}}),
]


def best_ns(run, calls, rounds):
    """Runs run() `rounds` times (each run makes `calls` calls); the best round in ns per call, as
    wall time (time.perf_counter) and as this process's CPU time (time.process_time, which time spent
    waiting for a core on a loaded machine does not inflate)."""
    wall = cpu = float("inf")
    for _ in range(rounds):
        w0, c0 = time.perf_counter(), time.process_time()
        run()
        w1, c1 = time.perf_counter(), time.process_time()
        wall, cpu = min(wall, w1 - w0), min(cpu, c1 - c0)
    return wall / calls * 1e9, cpu / calls * 1e9


def best_ns_per_call(fn, calls, rounds):
    """fn() called `calls` times per round."""
    def run():
        for _ in range(calls):
            fn()
    return best_ns(run, calls, rounds)


def best_ns_per_case_batched(evaluate, case, calls, rounds):
    """headroom.evaluate on a list of `calls` copies of the case, per case."""
    batch = [case] * calls
    return best_ns(lambda: evaluate(batch), calls, rounds)


def import_llm_analysis(path):
    if not os.path.isfile(os.path.join(path, "llm_analysis", "analysis.py")):
        sys.exit(f"peer_cost.py: --llm-analysis {path!r} holds no llm_analysis/analysis.py; "
                 "pass a checkout of llm-analysis (docs/performance.md says how to get one)")
    try:
        import fire  # noqa: F401  (llm-analysis's command line; imported at its module level)
        fire_note = "fire: installed"
    except ImportError:
        stub = types.ModuleType("fire")

        def _no_cli(*_args, **_kwargs):
            raise RuntimeError("fire is stubbed by bench/peer_cost.py: llm-analysis's CLI is unavailable")

        stub.Fire = _no_cli
        sys.modules["fire"] = stub
        fire_note = "fire: NOT installed, stubbed (only llm-analysis's __main__ calls it)"
    sys.path.insert(0, os.path.abspath(path))
    from llm_analysis import analysis  # noqa: E402
    try:
        commit = subprocess.run(["git", "-C", path, "rev-parse", "HEAD"], capture_output=True, text=True,
                                check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown (not a git checkout)"
    return analysis, commit, fire_note


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--llm-analysis", required=True, metavar="PATH",
                        help="a checkout of llm-analysis (the folder holding llm_analysis/)")
    parser.add_argument("--headroom", metavar="DIR",
                        help="folder holding the headroom package (default: import headroom as installed)")
    parser.add_argument("--calls", type=int, default=10, help="calls per round (default 10)")
    parser.add_argument("--rounds", type=int, default=100, help="rounds; the best is kept (default 100)")
    args = parser.parse_args()
    if args.calls < 1 or args.rounds < 1:
        parser.error("--calls and --rounds must be at least 1")

    analysis, commit, fire_note = import_llm_analysis(args.llm_analysis)
    if args.headroom:
        sys.path.insert(0, os.path.abspath(args.headroom))
    import headroom  # noqa: E402
    from headroom._headroom import evaluate_lines  # noqa: E402  (the C++ part of headroom.evaluate)

    print(f"python {sys.version.split()[0]}; {os.cpu_count()} CPUs; load average "
          + " ".join(f"{x:.1f}" for x in os.getloadavg()))
    print(f"llm-analysis {commit} ({fire_note})")
    print(f"headroom {headroom.__version__} from {os.path.dirname(headroom.__file__)}")
    print(f"{args.calls} calls per round, best of {args.rounds} rounds\n")

    rows = []
    for name, what, la_entry, la_kwargs, hr_case in CASES:
        la_fn = getattr(analysis, la_entry)
        # One call each first: checks that the case runs and shows what it returns.
        summary = la_fn(**la_kwargs)
        answer = headroom.evaluate(hr_case)
        print(f"{name}: {what}")
        print(f"  llm-analysis {la_entry}(): dict of {len(summary)} entries")
        t = answer.to_dict()["time"]
        print(f"  headroom evaluate(): per_gpu_gib {answer.memory.per_gpu_gib}, fits {answer.fits}, time "
              + ", ".join(f"{k} {v}" for k, v in t.items()) + f", {len(answer.intervals)} bands")
        la_ns = best_ns_per_call(lambda: la_fn(**la_kwargs), args.calls, args.rounds)
        hr_ns = best_ns_per_call(lambda: headroom.evaluate(hr_case), args.calls, args.rounds)
        hr_list_ns = best_ns_per_case_batched(headroom.evaluate, hr_case, args.calls, args.rounds)
        text = [json.dumps(hr_case)]
        cpp_ns = best_ns_per_call(lambda: evaluate_lines(text), args.calls, args.rounds)
        rows.append((name, la_ns, hr_ns, hr_list_ns, cpp_ns))

    print()
    print("us per call (per case for the list): wall time, CPU time in brackets; best round of each")
    header = ("case", "llm-analysis infer/train", "headroom evaluate(case)", "headroom evaluate(list)",
              "of which C++ (evaluate_lines)", "ratio wall (CPU)")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))

    def us(ns):
        return f"{ns[0] / 1e3:.1f} ({ns[1] / 1e3:.1f})"

    for name, la_ns, hr_ns, hr_list_ns, cpp_ns in rows:
        print(f"| {name} | {us(la_ns)} | {us(hr_ns)} | {us(hr_list_ns)} | {us(cpp_ns)} "
              f"| {la_ns[0] / hr_ns[0]:.1f}x ({la_ns[1] / hr_ns[1]:.1f}x) |")
    print("\nratio = llm-analysis per call / headroom evaluate(case) per call")

if __name__ == "__main__":
    main()
