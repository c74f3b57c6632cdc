// The WebAssembly engine under node answers every case of the validation files exactly as `headroom eval`
// does: the same bytes, line by line (errors without eval's "line N: " prefix, which names a line of a
// stream the engine never sees). This is the promise of docs/web.md: the page and the CLI give the same numbers.
//
// node engine_test.js SITE_DIR HEADROOM_BIN FILE.jsonl...   (validation records: the case is their `case`)

'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { cli, near } = require('./common');

const [site, headroom, ...files] = process.argv.slice(2);
const create = require(path.resolve(site, 'engine.js'));

create({ wasmBinary: fs.readFileSync(path.join(site, 'engine.wasm')) }).then((engine) => {
  const evaluate = engine.cwrap('hr_eval', 'string', ['string']);
  let failures = 0;
  let total = 0;
  for (const file of files) {
    const cases = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim())
      .map((l) => JSON.stringify(JSON.parse(l).case));
    const want = execFileSync(headroom, ['eval'], { input: `${cases.join('\n')}\n`, encoding: 'utf8', maxBuffer: 1 << 28 })
      .split('\n').filter((l) => l).map((l) => l.replace(/"error":"line \d+: /, '"error":"'));
    if (want.length !== cases.length) throw new Error(`${file}: headroom eval wrote ${want.length} lines for ${cases.length} cases`);
    let differ = 0;
    cases.forEach((c, i) => {
      const got = evaluate(c);
      if (got !== want[i] && differ++ < 3) console.log(`DIFF ${path.basename(file)} case ${i + 1}\n  engine: ${got}\n  eval:   ${want[i]}`);
    });
    console.log(`${path.basename(file)}: ${cases.length} cases, ${differ} differ`);
    if (cases.length === 0) failures += 1;  // a file that compares nothing proves nothing
    failures += differ;
    total += cases.length;
  }
  // The other entry points answer too: the catalog, a pasted config, the planner.
  const call = (name, arg) => JSON.parse(engine.ccall(name, 'string', arg === undefined ? [] : ['string'], arg === undefined ? [] : [arg]));
  const catalog = call('hr_catalog');
  const models = cli(headroom, ['models', '--json']);
  const gpus = cli(headroom, ['gpus', '--json']);
  const ids = (list) => list.map((x) => x.id).join(',');
  const same = ids(catalog.models) === ids(models) && ids(catalog.gpus) === ids(gpus);
  console.log(`catalog: ${catalog.gpus.length} GPUs, ${catalog.models.length} models (headroom gpus/models: ${gpus.length}, ${models.length})`);
  if (!same) failures += 1;
  const bad = call('hr_model', '{"model_type": "llama"}');
  console.log(`a config without its sizes: ${bad.error}`);
  if (bad.ok !== false || !/hidden_size/.test(bad.error)) failures += 1;
  // The planner answers as `headroom plan --json` (both read the request of io/plan_json.hpp): the same
  // options in the same order, the same counts and the same "why"; numbers within the CLI's rounding.
  const plans = [
    [{ case: { model: 'llama-3-8b', gpu: 'rtx-4090', task: 'serving' }, gpu: ['rtx-4090', 'l40s'] },
      ['plan', 'llama-3-8b', '--task', 'serving', '--gpu', 'rtx-4090,l40s', '--json']],
    [{ case: { model: 'llama-3-8b', gpu: 'h100-sxm', task: 'training', method: 'full', parallel: { tp: 2 }, gpus: 2,
      grad_checkpointing: 'full' }, gpu: ['h100-sxm'], gpus: [2, 4] },
    ['plan', 'llama-3-8b', '--method', 'full', '--gpu', 'h100-sxm', '--gpus', '2,4', '--parallel', 'tp=2', '--gc', 'full', '--json']],
  ];
  const alike = (a, b) => (typeof a === 'number' && typeof b === 'number' ? near(a, b) || Math.abs(a - b) <= 1e-4 * Math.abs(b)
    : a && b && typeof a === 'object' ? Object.keys(b).every((k) => alike(a[k], b[k])) && Object.keys(a).length === Object.keys(b).length
      : a === b);
  for (const [req, args] of plans) {
    const got = call('hr_plan', JSON.stringify(req));
    const want = cli(headroom, args);
    delete got.ok;
    const ok = got.options.length > 0 && alike(got, want);
    console.log(`plan ${args.slice(1, -1).join(' ')}: ${got.options.length} options of ${got.fitting} fitting; ${ok ? 'as' : 'NOT as'} headroom plan --json`);
    if (!ok) failures += 1;
  }
  console.log(failures ? `${failures} failure(s)` : `all ${total} answers identical`);
  process.exit(failures ? 1 : 0);
}).catch((e) => { console.error(e); process.exit(1); });
