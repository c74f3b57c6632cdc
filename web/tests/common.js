// What the browser tests share: a static server for the built site and the `headroom` command line.

'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');
const { execFileSync } = require('child_process');

/// Serves `site` on 127.0.0.1 at a free port; resolves to the server.
function startServer(site) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.png': 'image/png' };
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.join(site, name === '/' ? 'index.html' : path.normalize(name).replace(/^(\.\.[/\\])+/, ''));
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404); res.end(); return; }
      res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' });
      res.end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/// The JSON that `headroom ARGS` prints; `fit` exits 10 when the job does not fit, a model outcome.
function cli(headroom, args) {
  try {
    return JSON.parse(execFileSync(headroom, args, { encoding: 'utf8' }));
  } catch (e) {
    if (e.status === 10 && e.stdout) return JSON.parse(e.stdout);
    throw e;
  }
}

const near = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

module.exports = { startServer, cli, near };
