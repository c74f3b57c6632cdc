#!/usr/bin/env python3
"""A stand-in for the Hugging Face Hub that the CLI tests start (tests/cli/hub.cmake), so that
`headroom fit org/name` is tested end to end without the internet. It answers
GET /<org>/<name>/resolve/<revision>/config.json the way the Hub does (docs/reference/hf-hub.md):

  headroom-test/llama-3-8b-copy   200 at main and at v1.0 (data/models/llama-3-8b.json), with
                                  X-Repo-Commit and ETag; 404 RevisionNotFound at other revisions
  headroom-test/gated             401 GatedRepo without a token, 403 GatedRepo with another token than
                                  "Authorization: Bearer test-token", 200 with it
  headroom-test/no-config         404 EntryNotFound (a repo without a config.json)
  headroom-test/slow              never answers (the client's timeout must end the request)
  anything else                   404 RepoNotFound

  hub_server.py start STATE_DIR CONFIG_JSON   starts the server in the background, writes
                                              STATE_DIR/port and STATE_DIR/pid, returns when it listens
  hub_server.py stop STATE_DIR                stops it
The server also stops by itself after 10 minutes, should `stop` never run.
"""

import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time

COMMIT = "0123456789abcdef0123456789abcdef01234567"
COMMIT_V1 = "89abcdef0123456789abcdef0123456789abcdef"
ETAG = "fedcba9876543210fedcba9876543210fedcba98"
TOKEN = "test-token"


def make_handler(config: bytes):
    class Hub(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet: ctest shows the client's output
            pass

        def answer(self, status, body=b"", headers=()):
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def error(self, status, code):
            self.answer(status, b'{"error": "' + code.encode() + b'"}', [("X-Error-Code", code)])

        def do_GET(self):
            parts = self.path.split("/")
            # ['', org, name, 'resolve', revision, 'config.json']
            if len(parts) != 6 or parts[3] != "resolve" or parts[5] != "config.json":
                return self.error(404, "EntryNotFound")
            repo, revision = parts[1] + "/" + parts[2], parts[4]
            ok = [("Content-Type", "application/json"), ("ETag", '"' + ETAG + '"')]
            if repo == "headroom-test/llama-3-8b-copy":
                commits = {"main": COMMIT, COMMIT: COMMIT, "v1.0": COMMIT_V1}
                if revision not in commits:
                    return self.error(404, "RevisionNotFound")
                return self.answer(200, config, ok + [("X-Repo-Commit", commits[revision])])
            if repo == "headroom-test/gated":
                auth = self.headers.get("Authorization")
                if auth is None:
                    return self.error(401, "GatedRepo")
                if auth != "Bearer " + TOKEN:  # a token whose account has not accepted the terms
                    return self.error(403, "GatedRepo")
                return self.answer(200, config, ok + [("X-Repo-Commit", COMMIT)])
            if repo == "headroom-test/no-config":
                return self.error(404, "EntryNotFound")
            if repo == "headroom-test/slow":
                time.sleep(60)
                return None
            return self.error(404, "RepoNotFound")

    return Hub


def serve(state, config_path):
    # As the Hub has it: without the catalog's own "_id", "_source" and "_note".
    with open(config_path, encoding="utf-8") as f:
        config = {k: v for k, v in json.load(f).items() if not k.startswith("_")}
    config = json.dumps(config, indent=2).encode()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(config))
    server.daemon_threads = True
    threading.Timer(600, server.shutdown).start()
    tmp = os.path.join(state, "port.tmp")
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, os.path.join(state, "port"))  # the port file appears whole
    server.serve_forever()


def start(state, config_path):
    os.makedirs(state, exist_ok=True)
    stop(state)
    for name in ("port", "pid"):
        if os.path.exists(os.path.join(state, name)):
            os.remove(os.path.join(state, name))
    child = subprocess.Popen([sys.executable, os.path.abspath(__file__), "serve", state, config_path],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    with open(os.path.join(state, "pid"), "w") as f:
        f.write(str(child.pid))
    for _ in range(200):
        if os.path.exists(os.path.join(state, "port")):
            print("hub stand-in listening on 127.0.0.1:" + open(os.path.join(state, "port")).read())
            return 0
        if child.poll() is not None:
            break
        time.sleep(0.05)
    print("the hub stand-in did not start", file=sys.stderr)
    return 1


def stop(state):
    pid_file = os.path.join(state, "pid")
    if os.path.exists(pid_file):
        try:
            os.kill(int(open(pid_file).read()), signal.SIGTERM)
        except (ProcessLookupError, ValueError):
            pass
        os.remove(pid_file)
    return 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "serve":
        serve(sys.argv[2], sys.argv[3])
    elif command == "start":
        sys.exit(start(sys.argv[2], sys.argv[3]))
    elif command == "stop":
        sys.exit(stop(sys.argv[2]))
    else:
        sys.exit(__doc__)
