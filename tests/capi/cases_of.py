"""Writes the cases of a validation file (tests/data/validation/*.jsonl: {"case": {...}, ...} per line)
as a plain JSON Lines file of cases, the input of `headroom eval`."""
import json
import sys

with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as dst:
    for line in src:
        if line.strip():
            dst.write(json.dumps(json.loads(line)["case"]) + "\n")
