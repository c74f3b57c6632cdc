#!/usr/bin/env python3
"""Markdown tables for docs/validation.md "Per key and source" from `headroom validate --json`:
per key and per source, the median and p90 APE and the in-sample and leave-one-source-out (LOSO)
coverage of the 80% bands, for all scored cases and for those whose runtime or source is new in case
format v2 (the runtimes v2 added and the three sources it added).

    build/dev/bin/headroom validate --json tests/data/validation/public-*.jsonl > val.json
    python3 tools/validation_tables.py val.json
"""
import json
import sys
from collections import defaultdict

# Case format v2 (docs/cases.md) added these runtimes and these public sources.
V2_RUNTIMES = {"hf", "torchtune", "torchtitan", "litgpt", "deepspeed", "unsloth", "sglang"}
V2_SOURCES = {"FSDPQLORA", "MBRIDGE", "QWEN3SPD"}


def quantile(v, q):
    v = sorted(v)
    if not v:
        return None
    pos = q * (len(v) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def pct(x):
    return "-" if x is None else f"{100 * x:.1f}%"


def table(rows, group):
    groups = defaultdict(list)
    for r in rows:
        groups[group(r)].append(r)
    out = ["| group | key | scored | median APE | p90 APE | in sample | LOSO |", "|---|---|--:|--:|--:|--:|--:|"]
    for (g, key), rs in sorted(groups.items()):
        apes = [r["ape"] for r in rs]
        banded = [r for r in rs if "covered" in r]
        loso = [r for r in rs if "loso_covered" in r]
        ins = sum(r["covered"] for r in banded) / len(banded) if banded else None
        lo = sum(r["loso_covered"] for r in loso) / len(loso) if loso else None
        out.append(f"| {g} | {key} | {len(rs)} | {pct(quantile(apes, 0.5))} | {pct(quantile(apes, 0.9))} | "
                   f"{pct(ins)} | {pct(lo)} |")
    return "\n".join(out)


def main():
    results = json.load(open(sys.argv[1]))["results"]
    scored = [r for r in results if r["status"] == "scored" and r["key"] != "memory.fits" and r.get("ape") is not None]
    new = [r for r in scored if r["runtime"] in V2_RUNTIMES or r["source"] in V2_SOURCES]
    print("#### All scored cases, per key\n")
    print(table(scored, lambda r: ("all", r["key"])))
    print("\n#### Per source\n")
    print(table(scored, lambda r: (r["source"], r["key"])))
    print("\n#### Cases whose runtime or source is new in v2, per key\n")
    print(table(new, lambda r: ("new in v2", r["key"])))
    print("\n#### Cases whose runtime or source is new in v2, per runtime\n")
    print(table(new, lambda r: (r["runtime"], r["key"])))


if __name__ == "__main__":
    main()
