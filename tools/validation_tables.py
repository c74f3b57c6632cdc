#!/usr/bin/env python3
"""Markdown tables for docs/validation.md "Per key and source" from `headroom validate --json`:
per key and per source, the median and p90 APE and the in-sample and leave-one-source-out (LOSO)
coverage of the 80% bands, for all scored cases and for those whose runtime or source is new in case
format v2 (the runtimes v2 added and the three sources it added).

    build/dev/bin/headroom validate --json tests/data/validation/public-*.jsonl > val.json
    python3 tools/validation_tables.py val.json

Options (docs/validation.md "Mixture of experts"):
    --sources A,B         only the rows of these sources
    --moe CASES.jsonl...  only the rows whose case model is a mixture of experts (an inline config with
                          num_experts / n_routed_experts / num_local_experts), split by source and runtime
    --before OLD.json     a before/after table instead: median and p90 APE per key, or per source,
                          runtime and key with --sources or --moe
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


MOE_KEYS = ("num_experts", "n_routed_experts", "num_local_experts")


def moe_rows(case_files):
    """source_row ids whose case model is an inline MoE config."""
    rows = set()
    for f in case_files:
        for line in open(f):
            if not line.strip():
                continue
            d = json.loads(line)
            model = d.get("case", {}).get("model")
            if isinstance(model, dict):
                cfg = model.get("hf_config", model)
                if isinstance(cfg, dict) and any((cfg.get(k) or (cfg.get("text_config") or {}).get(k)) for k in MOE_KEYS):
                    rows.add(d["source_row"])
    return rows


def scored_of(path):
    results = json.load(open(path))["results"]
    return [r for r in results if r["status"] == "scored" and r["key"] != "memory.fits" and r.get("ape") is not None]


def compare(before, after, per_source):
    """Median and p90 APE per (source, runtime, key), or per key, before -> after, over the same rows."""
    old = {(r["source_row"], r["key"]): r for r in before}
    groups = defaultdict(list)
    for r in after:
        o = old.get((r["source_row"], r["key"]))
        if o is not None:
            g = (r["source"], r["runtime"], r["key"]) if per_source else ("all", "all", r["key"])
            groups[g].append((o["ape"], r["ape"]))
    out = ["| source | runtime | key | rows | median APE before | after | p90 APE before | after |",
           "|---|---|---|--:|--:|--:|--:|--:|"]
    for (src, rt, key), v in sorted(groups.items()):
        b = [x for x, _ in v]
        a = [y for _, y in v]
        out.append(f"| {src} | {rt} | {key} | {len(v)} | {pct(quantile(b, 0.5))} | {pct(quantile(a, 0.5))} | "
                   f"{pct(quantile(b, 0.9))} | {pct(quantile(a, 0.9))} |")
    return "\n".join(out)


def option(args, name, many=False):
    if name not in args:
        return None
    i = args.index(name)
    vals = []
    for a in args[i + 1:]:
        if a.startswith("--"):
            break
        vals.append(a)
        if not many:
            break
    del args[i:i + 1 + len(vals)]
    return vals if many else (vals[0] if vals else None)


def main():
    args = sys.argv[1:]
    sources = option(args, "--sources")
    moe = option(args, "--moe", many=True)
    before_path = option(args, "--before")
    scored = scored_of(args[0])
    keep = lambda r: True
    if sources:
        wanted = set(sources.split(","))
        keep = lambda r, k=keep: k(r) and r["source"] in wanted
    if moe:
        rows = moe_rows(moe)
        keep = lambda r, k=keep: k(r) and r["source_row"] in rows
    scored = [r for r in scored if keep(r)]
    if before_path:
        print(compare([r for r in scored_of(before_path) if keep(r)], scored, bool(sources or moe)))
        return
    if sources or moe:
        print(table(scored, lambda r: (f"{r['source']} {r['runtime']}", r["key"])))
        return
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
