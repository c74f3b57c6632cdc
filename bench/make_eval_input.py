#!/usr/bin/env python3
"""Writes N case lines for `headroom eval` throughput runs (docs/performance.md): the `case`
objects of the public validation files, in file order, repeated until N lines.

  python3 bench/make_eval_input.py 10000 > /tmp/cases-10k.jsonl
  python3 bench/make_eval_input.py 10000 --serving > /tmp/cases-10k-all.jsonl   # serving cases too
"""
import argparse
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
FILES = ["public-memory.jsonl", "public-time.jsonl"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("lines", type=int, nargs="?", default=10000)
    ap.add_argument("--serving", action="store_true", help="include public-serving.jsonl (not modelled yet)")
    args = ap.parse_args()
    files = FILES + (["public-serving.jsonl"] if args.serving else [])
    cases = []
    for name in files:
        with open(ROOT / "tests" / "data" / "validation" / name, encoding="utf-8") as f:
            cases += [json.dumps(json.loads(line)["case"]) for line in f if line.strip()]
    out = [cases[i % len(cases)] for i in range(args.lines)]
    print("\n".join(out))


if __name__ == "__main__":
    main()
