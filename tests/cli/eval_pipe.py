#!/usr/bin/env python3
"""`headroom eval` through a pipe answers each case before the next one is written: the answer of
a line comes back while stdin stays open (the stream flushes when reading on would block), and a
burst of lines is answered in order. Usage: eval_pipe.py HEADROOM. Exit 0 = pass.

The timeout only keeps a broken build from hanging the test; it is not a speed check."""
import json
import os
import select
import subprocess
import sys

WAIT_S = 60
CASE = '{{"id": "{}", "gpu": "rtx-4090", "model": "llama-3-8b"}}\n'


class Lines:
    """Lines of the child's stdout, read from the descriptor (no read-ahead hides a line from select)."""

    def __init__(self, fd: int):
        self.fd = fd
        self.buf = b""

    def next(self) -> str:
        while b"\n" not in self.buf:
            ready, _, _ = select.select([self.fd], [], [], WAIT_S)
            if not ready:
                sys.exit(f"no answer within {WAIT_S} s while stdin is open: the answer was not flushed")
            chunk = os.read(self.fd, 65536)
            if not chunk:
                sys.exit("stdout closed early")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode()


def main() -> None:
    proc = subprocess.Popen([sys.argv[1], "eval"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
    out = Lines(proc.stdout.fileno())
    try:
        for i in range(3):  # one at a time: each answer must arrive before the next case is sent
            proc.stdin.write(CASE.format(f"one-{i}").encode())
            answer = json.loads(out.next())
            if answer.get("id") != f"one-{i}" or answer.get("ok") is not True:
                sys.exit(f"unexpected answer {answer}")
        proc.stdin.write(("".join(CASE.format(f"burst-{i}") for i in range(5)) + "{not json\n").encode())
        ids = [json.loads(out.next()).get("id") for _ in range(6)]
        if ids != [f"burst-{i}" for i in range(5)] + [None]:
            sys.exit(f"burst answered as {ids}")
        proc.stdin.close()
        rest = out.buf + proc.stdout.read()
        if rest:
            sys.exit(f"unexpected output after the last answer: {rest!r}")
        if proc.wait(WAIT_S) != 0:
            sys.exit(f"exit code {proc.returncode}")
    finally:
        if proc.poll() is None:
            proc.kill()
    print("eval answers through a pipe line by line")


if __name__ == "__main__":
    main()
