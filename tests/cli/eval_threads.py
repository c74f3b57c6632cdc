#!/usr/bin/env python3
"""`headroom eval --threads N` from a file: the same bytes as one thread, in input order. The stream
is long enough (every public case and the bad lines, shuffled, twice) that each read hands each
thread more than its minimum share of lines, so the threaded path runs.
Usage: eval_threads.py HEADROOM CASES_DIR VALIDATION_DIR. Exit 0 = pass."""
import json
import os
import random
import subprocess
import sys
import tempfile

headroom, cases_dir, validation_dir = sys.argv[1:4]
lines = []
for name in ("public-memory.jsonl", "public-time.jsonl", "public-serving.jsonl"):
    with open(os.path.join(validation_dir, name), encoding="utf-8") as f:
        lines += [json.dumps(json.loads(l)["case"]) for l in f if l.strip()]
with open(os.path.join(cases_dir, "bad-lines.jsonl"), encoding="utf-8") as f:
    lines += [l.rstrip("\n") for l in f]
random.Random(7).shuffle(lines)
lines += lines  # repeated lines take the answer cache as well
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "cases.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    outs = {}
    for n in (1, 2, 3):
        run = subprocess.run([headroom, "eval", "--threads", str(n), "--input", path], capture_output=True)
        if run.returncode != 0:
            sys.exit(f"--threads {n}: exit code {run.returncode}: {run.stderr.decode()[:500]}")
        outs[n] = run.stdout
    answers = outs[1].count(b"\n")
    if answers != sum(1 for l in lines if l.strip()):
        sys.exit(f"one thread wrote {answers} answers for {len(lines)} lines")
    for n in (2, 3):
        if outs[n] != outs[1]:
            sys.exit(f"--threads {n} differs from one thread")
print(f"{answers} answers, the same bytes with 1, 2 and 3 threads")
