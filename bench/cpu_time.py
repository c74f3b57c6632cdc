#!/usr/bin/env python3
"""CPU time of `headroom eval` on files of cases (docs/performance.md): user + system time of the
child from wait4, best and median of 7 runs of `BIN eval --threads 1 --input FILE --output /dev/null`.
CPU time is what the load of a shared machine inflates least; wall time is printed beside it.

  python3 bench/cpu_time.py build/release/bin/headroom /tmp/cases-10k.jsonl /tmp/cases-10k-unique.jsonl
"""
import os
import sys
import time

RUNS = 7


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    exe = sys.argv[1]
    for path in sys.argv[2:]:
        cpu, wall = [], []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            pid = os.posix_spawn(exe, [exe, "eval", "--threads", "1", "--input", path, "--output", os.devnull],
                                 os.environ)
            _, status, usage = os.wait4(pid, 0)
            wall.append(time.perf_counter() - t0)
            code = os.waitstatus_to_exitcode(status)
            if code != 0:
                sys.exit(f"{path}: exit status {code}")
            cpu.append(usage.ru_utime + usage.ru_stime)
        cpu.sort()
        wall.sort()
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = sum(1 for line in f if line.strip())
        rate = f", {lines / cpu[0]:,.0f} cases/s" if lines and cpu[0] > 0 else ""
        print(f"{os.path.basename(path)}: CPU best {cpu[0] * 1e3:.1f} ms, median {cpu[RUNS // 2] * 1e3:.1f} ms"
              f"{rate}; wall best {wall[0] * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
