// web/engine/charconv_compat.hpp against a complete <charconv>: the output of charconv_cases.cpp built by
// the host compiler and by em++ with the shim must be the same, line by line.
//
// node charconv_test.js HOST_PROGRAM WASM_PROGRAM.js

'use strict';
const { execFileSync } = require('child_process');

const [host, wasm] = process.argv.slice(2);
const want = execFileSync(host, { encoding: 'utf8', maxBuffer: 1 << 26 }).split('\n');
const got = execFileSync(process.execPath, [wasm], { encoding: 'utf8', maxBuffer: 1 << 26 }).split('\n');
let differ = 0;
for (let i = 0; i < Math.max(want.length, got.length); i += 1) {
  if (want[i] !== got[i] && differ++ < 5) console.log(`line ${i + 1}\n  host:  ${want[i]}\n  shim:  ${got[i]}`);
}
console.log(`${want.length - 1} values: ${differ} differ`);
process.exit(differ || want.length < 5000 ? 1 : 0);
