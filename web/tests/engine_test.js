// The WebAssembly engine under node answers every case of the validation files exactly as `headroom eval`
// does: the same bytes, line by line (errors without eval's "line N: " prefix, which names a line of a
// stream the engine never sees). This is the promise of docs/web.md: the page and the CLI give the same numbers.
//
// node engine_test.js SITE_DIR HEADROOM_BIN FILE.jsonl...   (validation records: the case is their `case`)

'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { cli } = require('./common');

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
  const plan = call('hr_plan', JSON.stringify({ case: { model: 'llama-3-8b', gpu: 'rtx-4090', task: 'serving', runtime: 'vllm' }, gpus: ['rtx-4090', 'l40s'] }));
  console.log(`plan: ${plan.options.length} options of ${plan.fitting} fitting`);
  if (!plan.ok || plan.options.length === 0) failures += 1;
  console.log(failures ? `${failures} failure(s)` : `all ${total} answers identical`);
  process.exit(failures ? 1 : 0);
}).catch((e) => { console.error(e); process.exit(1); });
