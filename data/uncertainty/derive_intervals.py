#!/usr/bin/env python3
"""Derives the 80% measured/predicted bands of include/headroom/uncertainty.hpp from the residuals of the
public validation cases, and writes data/uncertainty/intervals.json plus the constexpr table.

    headroom validate --json tests/data/validation/public-time.jsonl tests/data/validation/public-memory.jsonl > val.json
    python3 data/uncertainty/derive_intervals.py val.json

Per (key, regime) with at least MIN_CASES scored cases: r = ln(measured / predicted); the band is
[exp(q10(r)), exp(q90(r))] (linear interpolation between ranks). Each key also gets a pooled "any" row
(all regimes, at least MIN_ANY cases) used where its regime has no row. `coverage` is the in-sample
share inside the band; the leave-one-source-out coverage (each case judged by a band derived without
its own source) is the honest out-of-sample figure and is written to the JSON's "cross_validation".
"""
import json
import math
import re
import sys
from collections import defaultdict
from pathlib import Path

MIN_CASES = 8
MIN_ANY = 5
LOW_Q, HIGH_Q = 0.10, 0.90
ROOT = Path(__file__).resolve().parents[2]


def quantile(v, q):
    v = sorted(v)
    pos = q * (len(v) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def band(rs):
    return math.exp(quantile(rs, LOW_Q)), math.exp(quantile(rs, HIGH_Q))


def main():
    results = []
    for f in sys.argv[1:]:
        results += json.load(open(f))["results"]
    cases = [r for r in results if r["status"] == "scored" and r["key"] != "memory.fits" and r.get("predicted")]
    groups = defaultdict(list)
    for r in cases:
        x = (math.log(r["measured"] / r["predicted"]), r["source"])
        groups[(r["key"], r["regime"])].append(x)
        groups[(r["key"], "any")].append(x)
    rows = []
    for (key, regime), xs in sorted(groups.items()):
        if len(xs) < (MIN_ANY if regime == "any" else MIN_CASES):
            continue
        rs = [x[0] for x in xs]
        lo, hi = band(rs)
        lo, hi = round(lo, 3), round(hi, 3)
        cov = sum(1 for x in rs if lo <= math.exp(x) <= hi) / len(rs)
        rows.append({"key": key, "regime": regime, "low": lo, "high": hi, "cases": len(rs), "coverage": round(cov, 3)})

    def pick(key, regime, source=None):
        """The band the library would use, derived without `source` (None: from all cases)."""
        for reg in (regime, "any"):
            xs = [x[0] for x in groups.get((key, reg), []) if x[1] != source]
            if len(xs) >= (MIN_ANY if reg == "any" else MIN_CASES) and any(
                    r["key"] == key and r["regime"] == reg for r in rows):
                return band(xs)
        return None

    cv = defaultdict(lambda: [0, 0])
    for r in cases:
        b = pick(r["key"], r["regime"], r["source"])
        if b is None:
            continue
        ratio = r["measured"] / r["predicted"]
        c = cv[r["key"]]
        c[0] += 1
        c[1] += 1 if b[0] <= ratio <= b[1] else 0
    out = {
        "schema": 1,
        "level": 0.8,
        "method": "per (key, regime): [exp(q10), exp(q90)] of ln(measured/predicted) over the scored public "
                  "validation cases (linear interpolation); regime 'any' pools the key; groups below "
                  f"{MIN_CASES} cases ({MIN_ANY} for 'any') get no row",
        "source": "headroom validate --json tests/data/validation/public-time.jsonl "
                  "tests/data/validation/public-memory.jsonl; data/uncertainty/derive_intervals.py",
        "bands": rows,
        "cross_validation": {k: {"cases": v[0], "coverage": round(v[1] / v[0], 3)} for k, v in sorted(cv.items())},
    }
    (ROOT / "data/uncertainty/intervals.json").write_text(json.dumps(out, indent=1) + "\n")
    table = "".join(
        f'    {{"{r["key"]}", "{r["regime"]}", {r["low"]!r}, {r["high"]!r}, {r["cases"]}, {r["coverage"]!r}}},\n'
        for r in rows)
    hpp = ROOT / "include/headroom/uncertainty.hpp"
    text = hpp.read_text()
    block = (f"// BEGIN GENERATED BAND TABLE (data/uncertainty/derive_intervals.py)\n"
             f"inline constexpr std::array<IntervalBand, {len(rows)}> interval_bands{{{{\n{table}}}}};\n"
             f"// END GENERATED BAND TABLE")
    hpp.write_text(re.sub(r"// BEGIN GENERATED BAND TABLE.*?// END GENERATED BAND TABLE", lambda _: block, text,
                          flags=re.S))
    for r in rows:
        print(f'{r["key"]:34} {r["regime"]:8} [{r["low"]:.3f}, {r["high"]:.3f}]  n={r["cases"]:3}  in-sample {r["coverage"]:.0%}')
    for k, v in out["cross_validation"].items():
        print(f"leave-one-source-out coverage {k:34} {v['coverage']:.0%} of {v['cases']}")


if __name__ == "__main__":
    main()
