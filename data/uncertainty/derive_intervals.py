#!/usr/bin/env python3
"""Writes the 80% bands that `headroom validate` derives from the public validation cases into
data/uncertainty/intervals.json and the constexpr table of include/headroom/uncertainty.hpp.

    headroom validate --json tests/data/validation/public-memory.jsonl tests/data/validation/public-time.jsonl \
        tests/data/validation/public-serving.jsonl > val.json
    python3 data/uncertainty/derive_intervals.py val.json

The rule lives once, in C++ (include/headroom/validation.hpp `derive_bands`, docs/validation.md
"Uncertainty bands"); this script only copies its result: one row per cell (key family x runtime class
x parallel regime) with at least one source. A cell without a row gets x/÷2 at run time.
"""
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def sig4(x):
    """Four significant digits: a wide band's low end (0.024) keeps low x high = 1 to 0.1%."""
    return float(f"{x:.4g}")


def main():
    report = json.load(open(sys.argv[1]))
    rows = [{"key": b["key"], "runtime_class": b["runtime_class"], "regime": b["regime"],
             "low": sig4(b["low"]), "high": sig4(b["high"]), "sources": b["sources"], "cases": b["cases"],
             "coverage": b["coverage"], "loso_coverage": b["loso_coverage"]} for b in report["bands"]]
    by_key = {r["key"]: {"cases": r["loso_banded"], "in_sample": r["coverage"], "loso": r["loso_coverage"]}
              for r in report["by_key"] if r["loso_banded"]}
    out = {
        "schema": 2,
        "level": 0.8,
        "method": "per cell (key family x runtime class x parallel regime): band [exp(-h), exp(h)] centred on the "
                  "prediction; h = 80th percentile of |ln(measured/predicted)| with each source weighing 1 (two or "
                  "more sources), twice the one source's own (one source); cells without a row get x/÷2",
        "source": "headroom validate --json tests/data/validation/public-memory.jsonl "
                  "tests/data/validation/public-time.jsonl tests/data/validation/public-serving.jsonl; "
                  "data/uncertainty/derive_intervals.py",
        "bands": rows,
        "coverage_by_key": by_key,
    }
    (ROOT / "data/uncertainty/intervals.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    table = "".join(
        f'    {{"{r["key"]}", "{r["runtime_class"]}", "{r["regime"]}", {r["low"]!r}, {r["high"]!r}, '
        f'{r["sources"]}, {r["cases"]}}},\n' for r in rows)
    hpp = ROOT / "include/headroom/uncertainty.hpp"
    block = (f"// BEGIN GENERATED BAND TABLE (data/uncertainty/derive_intervals.py)\n"
             f"inline constexpr std::array<IntervalBand, {len(rows)}> interval_bands{{{{\n{table}}}}};\n"
             f"// END GENERATED BAND TABLE")
    text = re.sub(r"// BEGIN GENERATED BAND TABLE.*?// END GENERATED BAND TABLE", lambda _: block,
                  hpp.read_text(), flags=re.S)
    hpp.write_text(text)
    for r in rows:
        print(f'{r["key"]:34} {r["runtime_class"]:11} {r["regime"]:14} [{r["low"]:.3f}, {r["high"]:.3f}] '
              f'sources={r["sources"]} cases={r["cases"]}')


if __name__ == "__main__":
    main()
