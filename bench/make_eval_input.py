#!/usr/bin/env python3
"""Writes N case lines for `headroom eval` throughput runs (docs/performance.md): the `case`
objects of the public validation files, in file order, repeated until N lines.

  python3 bench/make_eval_input.py 10000 > /tmp/cases-10k.jsonl
  python3 bench/make_eval_input.py 10000 --serving > /tmp/cases-10k-all.jsonl   # serving cases too
  python3 bench/make_eval_input.py 10000 --unique > /tmp/cases-10k-unique.jsonl  # no line twice

The file repeats the 695 cases; `headroom eval` answers a line it has seen before from its cache of
answers (src/cli/case_stream.cpp), so --unique (the repetition number appended to each id, every
line different) measures the cost of answering every line afresh.
"""
import argparse
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
FILES = ["public-memory.jsonl", "public-time.jsonl"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("lines", type=int, nargs="?", default=10000)
    ap.add_argument("--serving", action="store_true", help="include public-serving.jsonl")
    ap.add_argument("--unique", action="store_true", help="append the repetition number to each id: no line twice")
    args = ap.parse_args()
    files = FILES + (["public-serving.jsonl"] if args.serving else [])
    cases = []
    for name in files:
        with open(ROOT / "tests" / "data" / "validation" / name, encoding="utf-8") as f:
            cases += [json.loads(line)["case"] for line in f if line.strip()]
    out = []
    for i in range(args.lines):
        case = dict(cases[i % len(cases)])
        if args.unique:
            case["id"] = "%s#%d" % (case.get("id", ""), i // len(cases))
        out.append(json.dumps(case))
    print("\n".join(out))


if __name__ == "__main__":
    main()
