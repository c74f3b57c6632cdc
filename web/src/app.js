// The page of docs/web.md. Every answer comes from the WebAssembly engine (web/engine/engine.cpp) through
// the case format, so it is the answer `headroom eval` gives; this file only builds cases from the inputs,
// draws the answers and keeps every input in the URL. Standard DOM only (no browser-specific API).

import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './style.css';

const $ = (id) => document.getElementById(id);

// The inputs, each an element id and a URL parameter; '' means the engine's default (not written to the case).
const FIELDS = ['src', 'model', 'hf', 'config', 'gpu', 'gpus', 'gpu2', 'task', 'method', 'optimizer',
  'grad_checkpointing', 'seq', 'batch', 'grad_accum', 'lora_rank', 'prompt', 'generate', 'concurrency', 'slo_ttft',
  'slo_tpot', 'kv_cache', 'weights', 'runtime', 'tp', 'pp', 'zero', 'solve', 'objective'];
// What the page asks when the URL says nothing: the question people ask most.
const DEFAULTS = { src: 'catalog', model: 'llama-3-70b', gpu: 'rtx-4090', task: 'training', method: 'qlora' };
// Case fields that are integers (the rest are spellings).
const INTEGER = new Set(['gpus', 'seq', 'grad_accum', 'lora_rank', 'prompt', 'generate', 'concurrency']);
const COLORS = { weights: '#4e79a7', quant_constants: '#a0cbe8', lora: '#f28e2b', gradients: '#e15759',
  optimizer: '#76b7b2', activations: '#59a14f', logits: '#edc948', kv_cache: '#b07aa1', runtime: '#9c755f' };

let engine = null;
let catalog = null;
let hubConfig = null;  // the config.json fetched for the `hf` id, with its `_id`
const charts = {};

function call(name, arg) {
  const text = arg === undefined ? engine.ccall(name, 'string', [], []) : engine.ccall(name, 'string', ['string'], [arg]);
  return JSON.parse(text);
}

// ---- state <-> inputs <-> URL

// A multiple select (the GPUs to compare) is a comma list in the state and the URL.
function readState() {
  const s = {};
  for (const f of FIELDS) {
    const el = $(f);
    s[f] = el.multiple ? [...el.selectedOptions].map((o) => o.value).filter((v) => v).join(',') : el.value.trim();
  }
  return s;
}

function writeInputs(s) {
  for (const f of FIELDS) {
    if (s[f] === undefined) continue;
    const el = $(f);
    if (el.multiple) { const on = new Set(s[f].split(',')); for (const o of el.options) o.selected = on.has(o.value); } else el.value = s[f];
  }
}

function stateFromUrl() {
  const q = new URLSearchParams(location.search);
  const s = { ...DEFAULTS };
  if ([...q.keys()].length > 0) for (const f of FIELDS) s[f] = q.get(f) ?? (f === 'src' ? 'catalog' : '');
  return s;
}

// A pasted config.json without its white space (as written when it is not JSON: the answer says why).
function compact(text) {
  try { return JSON.stringify(JSON.parse(text)); } catch (e) { return text; }
}

function urlOf(s) {
  const q = new URLSearchParams();
  for (const f of FIELDS) if (s[f]) q.set(f, f === 'config' ? compact(s[f]) : s[f]);
  return `${location.pathname}?${q}`;
}

// ---- the case

function modelValue(s) {
  if (s.src === 'hf') {
    if (!hubConfig || hubConfig._id !== s.hf) throw new Error('fetch the config.json of the Hugging Face id first (or paste it)');
    return { hf_config: hubConfig };
  }
  if (s.src === 'paste') {
    if (!s.config) throw new Error('paste the model\'s config.json');
    let config;
    try { config = JSON.parse(s.config); } catch (e) { throw new Error(`the pasted config.json is not JSON: ${e.message}`); }
    if (config && typeof config === 'object' && !config._id) config._id = 'config.json';
    return { hf_config: config };
  }
  return s.model;
}

function int(text) { return /^-?\d+$/.test(text) ? Number(text) : text; }

// The parallel object as the command line writes it for --gpus N and --parallel (src/cli/job_options.cpp
// JobOptions::to_case): no degrees and N > 1 = tp N for inference and serving, dp N for training; with
// degrees, dp is what the count leaves.
function layout(s, count) {
  const par = {};
  if (s.tp) par.tp = int(s.tp);
  if (s.pp) par.pp = int(s.pp);
  if (s.zero && s.task === 'training') par.zero = int(s.zero);
  const degrees = (par.tp || 1) * (par.pp || 1);
  if (!s.tp && !s.pp) {
    if (count > 1) par[s.task === 'training' ? 'dp' : 'tp'] = count;
  } else if (count % degrees === 0 && count / degrees > 1) {
    par.dp = count / degrees;
  }
  return par;
}

function buildCase(s, gpu, count) {
  const c = { id: 'web', model: modelValue(s), gpu, task: s.task };
  // No count: one GPU, or as many as the degrees multiply to (as `--parallel` alone on the command line).
  const n = count ?? (s.gpus ? int(s.gpus) : (Number(s.tp) || 1) * (Number(s.pp) || 1));
  if (n !== 1) c.gpus = n;
  const training = s.task === 'training';
  const take = (keys) => { for (const k of keys) if (s[k]) c[k] = INTEGER.has(k) ? int(s[k]) : s[k]; };
  if (training) {
    take(['method', 'optimizer', 'grad_checkpointing', 'seq', 'grad_accum']);
    if (s.method === 'lora' || s.method === 'qlora') take(['lora_rank']);
  } else {
    take(['prompt', 'generate', 'kv_cache']);
  }
  if (s.task !== 'serving' && s.batch) c.batch = s.batch === 'max' ? 'max' : int(s.batch);
  // A limit to find too (the `limits` of the answer): the one that applies to the task.
  if (s.solve && (s.solve === 'max_batch' || s.solve === (s.task === 'training' ? 'max_seq' : 'max_context'))) c.solve = s.solve;
  if (s.task === 'serving') {
    take(['concurrency']);
    const slo = {};
    if (s.slo_ttft) slo.ttft_s = Number(s.slo_ttft);
    if (s.slo_tpot) slo.tpot_s = Number(s.slo_tpot);
    // With a target, also the largest concurrency that meets it (what `headroom serve --slo-*` prints as the knee).
    if (Object.keys(slo).length) { c.slo = slo; c.solve = 'max_concurrency'; }
  }
  take(['weights']);
  // `headroom serve` and `plan` serve with vLLM unless told otherwise (planner.hpp serving_default_runtime).
  c.runtime = s.runtime || (s.task === 'serving' ? 'vllm' : undefined);
  if (!c.runtime) delete c.runtime;
  const par = layout(s, typeof n === 'number' ? n : 1);
  if (Object.keys(par).length) c.parallel = par;
  return c;
}

// The command line that reproduces the answer (docs/cli.md): `fit` for inference and training, `serve`.
function cliLine(s, c) {
  const words = ['headroom', s.task === 'serving' ? 'serve' : 'fit'];
  words.push(s.src === 'hf' ? s.hf : s.src === 'paste' ? 'config.json' : s.model);
  words.push('--gpu', c.gpu);
  if (c.gpus) words.push('--gpus', String(c.gpus));
  if (s.task === 'inference') { /* the default task */ } else if (s.task === 'training' && !c.method) words.push('--task', 'training');
  for (const [k, v] of Object.entries(c)) {
    // `serve` finds max_concurrency itself when given targets; `fit` takes --solve.
    if (['id', 'model', 'gpu', 'gpus', 'task', 'parallel', 'slo'].includes(k) || (k === 'solve' && s.task === 'serving')) continue;
    words.push(`--${k.replaceAll('_', '-')}`, String(v));
  }
  if (c.slo) {
    if (c.slo.ttft_s) words.push('--slo-ttft', String(c.slo.ttft_s));
    if (c.slo.tpot_s) words.push('--slo-tpot', String(c.slo.tpot_s));
  }
  if (c.parallel && (s.tp || s.pp || s.zero)) {
    words.push('--parallel', Object.entries(c.parallel).filter(([k]) => k !== 'dp').map(([k, v]) => `${k}=${v}`).join(','));
  }
  return words.join(' ');
}

// ---- formatting

const fmt = (v, digits = 3) => (v === undefined || v === null ? '–' : Number(v).toPrecision(digits).replace(/\.?0+(e|$)/, '$1'));
const gib = (v) => `${Number(v).toFixed(1)} GiB`;
function esc(t) { return String(t).replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[ch])); }

// Answer keys shown in the numbers table: [path, label, unit, scale].
const KEYS = [
  ['memory.per_gpu_gib', 'allocated per GPU', 'GiB', 1],
  ['memory.reserved_gib', 'reserved (allocator)', 'GiB', 1],
  ['memory.device_gib', 'device (nvidia-smi)', 'GiB', 1],
  ['time.prefill_tokens_per_s', 'prefill', 'tokens/s', 1],
  ['time.decode_tokens_per_s', 'decode', 'tokens/s', 1],
  ['time.ttft_s', 'time to first token', 'ms', 1e3],
  ['time.step_time_s', 'training step', 's', 1],
  ['time.train_tokens_per_s_per_gpu', 'training tokens/s per GPU', 'tokens/s', 1],
  ['time.mfu', 'MFU (BF16 peak)', '%', 100],
  ['serving.ttft_s', 'TTFT mean', 'ms', 1e3],
  ['serving.ttft_p90_s', 'TTFT p90', 'ms', 1e3],
  ['serving.tpot_s', 'TPOT mean', 'ms', 1e3],
  ['serving.tpot_p90_s', 'TPOT p90', 'ms', 1e3],
  ['serving.e2e_s', 'end-to-end latency', 's', 1],
  ['serving.output_tokens_per_s', 'output tokens/s', 'tokens/s', 1],
  ['serving.requests_per_s', 'requests/s', 'req/s', 1],
  ['serving.kv_capacity_tokens', 'KV pool', 'tokens', 1],
];

function get(obj, path) { return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj); }

// ---- drawing

function drawVerdict(a, job) {
  const m = a.memory;
  const v = $('verdict');
  if (!m) { v.textContent = 'answered'; v.dataset.fits = ''; $('summary').textContent = ''; return; }
  $('summary').textContent = `${m.fits ? 'FITS' : 'DOES NOT FIT'}: ${gib(m.device_gib)} of ${gib(m.usable_gib)} per GPU`;
  v.textContent = m.fits ? 'FITS' : 'DOES NOT FIT';
  v.dataset.fits = String(m.fits);
  v.className = m.fits ? 'fits' : 'nofit';
  const band = a.intervals?.['memory.device_gib'];
  const range = band ? ` (80% band ${gib(m.device_gib * band.low)} – ${gib(m.device_gib * band.high)})` : '';
  const total = $('total');
  total.dataset.gib = String(m.device_gib);
  total.innerHTML = `needs <b>${gib(m.device_gib)}</b>${range} per GPU of <b>${gib(m.usable_gib)}</b> usable on ` +
    `${esc(job.gpus)}× ${esc(job.gpu_name)}: ${m.fits ? `${gib(m.headroom_gib)} to spare` : `${gib(-m.headroom_gib)} over`}` +
    ` · ${esc(job.model)}, ${esc(job.runtime)}, weights ${esc(job.weights ?? 'default')}, dp ${job.parallel.dp} tp ${job.parallel.tp} pp ${job.parallel.pp}` +
    (job.parallel.zero ? ` ZeRO ${job.parallel.zero}` : '');
  // The stacked bar: the allocated parts, then the allocator's and the device's extra, against what the runtime may use.
  const parts = Object.entries(m.breakdown_gib).filter(([, g]) => g > 0);
  parts.push(['allocator cache', m.reserved_gib - m.per_gpu_gib], ['CUDA context', m.device_gib - m.reserved_gib]);
  const scale = Math.max(m.device_gib, m.usable_gib) || 1;
  const bar = $('bar');
  bar.innerHTML = parts.filter(([, g]) => g > 0.005).map(([k, g]) =>
    `<span style="width:${(100 * g / scale).toFixed(3)}%;background:${COLORS[k] ?? '#bab0ac'}" title="${esc(k)}: ${gib(g)}"></span>`).join('') +
    `<i class="capacity" style="left:${(100 * m.usable_gib / scale).toFixed(3)}%" title="usable ${gib(m.usable_gib)}"></i>`;
  $('legend').innerHTML = parts.filter(([, g]) => g > 0.005).map(([k, g]) =>
    `<span><b style="background:${COLORS[k] ?? '#bab0ac'}"></b>${esc(k.replaceAll('_', ' '))} ${gib(g)}</span>`).join('') +
    `<span><b class="cap"></b>usable ${gib(m.usable_gib)}</span>`;
}

function drawNumbers(a, slo) {
  const rows = [];
  for (const [path, label, unit, scale] of KEYS) {
    const v = get(a, path);
    if (v === undefined || v === 0) continue;
    const b = a.intervals?.[path];
    const band = b ? `${fmt(v * scale * b.low)} – ${fmt(v * scale * b.high)}` : '';
    rows.push(`<tr data-key="${path}" data-value="${v}"><td>${label}</td><td>${fmt(v * scale, 4)} ${unit}</td><td>${band}</td></tr>`);
  }
  if (a.time?.bound) rows.push(`<tr><td>bound by</td><td>${esc(a.time.bound)}</td><td></td></tr>`);
  for (const [k, v] of Object.entries(a.limits ?? {})) {
    rows.push(`<tr data-key="limits.${k}" data-value="${v}"><td>${esc(k.replaceAll('_', ' '))}${k === 'max_concurrency'
      ? ' meeting the SLO' : ''}</td><td>${v}</td><td></td></tr>`);
  }
  if (slo && a.serving) {
    const meets = (!slo.ttft_s || a.serving.ttft_s <= slo.ttft_s) && (!slo.tpot_s || a.serving.tpot_s <= slo.tpot_s);
    rows.push(`<tr><td>mean TTFT and TPOT meet the SLO</td><td>${meets ? 'yes' : 'no'}</td><td></td></tr>`);
  }
  $('numbers').innerHTML = `<tr><th>figure</th><th>predicted</th><th>80% band</th></tr>${rows.join('')}` +
    (a.warnings ? a.warnings.map((w) => `<tr><td colspan="3" class="note">warning: ${esc(w)}</td></tr>`).join('') : '');
}

function drawSuggestions(list) {
  const el = $('suggestions');
  if (!list) { el.innerHTML = ''; return; }
  el.innerHTML = list.length === 0 ? '<p>No single change in the search space makes it fit.</p>'
    : `<h3>What would make it fit (each checked by the model)</h3><ul>${list.map((x) =>
      `<li>${esc(x.change)}: ${gib(x.device_gib)} per GPU</li>`).join('')}</ul>`;
}

function chart(id, opts, data) {
  charts[id]?.destroy();
  const el = $(id);
  el.innerHTML = '';
  const width = Math.max(260, Math.min(el.clientWidth || 480, 560));
  charts[id] = new uPlot({ width, height: 240, legend: { live: false }, ...opts }, data, el);
}

function drawRoofline(r) {
  if (!r || !(r.peak_tflops > 0) || !(r.bandwidth_gbps > 0)) { $('roofline').textContent = 'no roofline for this GPU'; return; }
  const xs = [];
  for (let e = -1; e <= 4.001; e += 0.1) xs.push(10 ** e);
  const job = r.intensity > 0 ? r.intensity : null;
  if (job) { xs.push(job); xs.sort((p, q) => p - q); }
  const roof = (i) => Math.min(r.peak_tflops, (i * r.bandwidth_gbps) / 1e3);
  const at = xs.map((x) => (x === job ? roof(x) : null));
  chart('roofline', {
    scales: { x: { time: false, distr: 3 }, y: { distr: 3 } },
    axes: [{ label: 'FLOP per byte' }, { label: 'TFLOP/s', size: 60 }],
    series: [{ label: 'FLOP/byte' }, { label: 'roof', stroke: '#4e79a7', width: 2 },
      { label: job ? `job (${r.bound}-bound)` : 'job: no single phase to place', stroke: '#e15759', width: 0, points: { show: true, size: 10, fill: '#e15759' } }],
  }, [xs, xs.map(roof), at]);
}

function scalingPoints(s, counts, key) {
  return counts.map((n) => {
    const a = call('hr_eval', JSON.stringify(buildCase({ ...s, tp: s.tp && n % Number(s.tp) === 0 ? s.tp : '', pp: '' }, s.gpu, n)));
    let y = null;
    if (a.ok && (!a.memory || a.memory.fits)) {
      if (key === 'train') y = a.time.train_tokens_per_s_per_gpu * n;
      else if (key === 'serve') y = a.serving?.output_tokens_per_s ?? null;
      else y = a.time.decode_tokens_per_s;
    }
    return y || null;
  });
}

function drawScaling(s, count) {
  // The same case at 1, 2, 4, 8 GPUs (and the chosen count): the headline throughput of each that fits.
  const counts = [...new Set([1, 2, 4, 8, count])].filter((n) => n >= 1).sort((p, q) => p - q);
  const key = s.task === 'training' ? 'train' : s.task === 'serving' ? 'serve' : 'decode';
  let ys = scalingPoints(s, counts, key);
  // Plain data parallelism copies the whole model to every GPU: when that fits nowhere, shard it (ZeRO-3).
  let how = '';
  if (key === 'train' && !s.zero && !ys.some((y) => y)) {
    ys = scalingPoints({ ...s, zero: '3' }, counts, key);
    how = ', with ZeRO-3 (FSDP)';
  }
  const ideal = [];
  const base = ys.findIndex((y) => y);
  for (const n of counts) ideal.push(base >= 0 ? (ys[base] * n) / counts[base] : null);
  $('scaling-caption').textContent = `Scaling with the GPU count: ${key === 'train' ? 'training tokens/s'
    : key === 'serve' ? 'output tokens/s' : 'decode tokens/s'}${how} ${base >= 0 ? '(where it fits)' : `: does not fit on ${counts.join(', ')} GPUs`}`;
  chart('scaling', {
    scales: { x: { time: false } },
    axes: [{ label: 'GPUs' }, { label: 'tokens/s', size: 60 }],
    series: [{ label: 'GPUs' }, { label: 'predicted', stroke: '#59a14f', width: 2, points: { show: true } },
      { label: 'linear', stroke: '#bab0ac', dash: [4, 4] }],
  }, [counts, ys, ideal]);
}

function drawCompare(s) {
  const el = $('compare');
  if (!s.gpu2) { el.innerHTML = ''; return; }
  const gpus = [s.gpu, ...s.gpu2.split(',').filter((g) => g !== s.gpu)];
  const rows = gpus.map((g) => {
    const a = call('hr_eval', JSON.stringify(buildCase(s, g)));
    if (!a.ok) return `<tr><td>${esc(g)}</td><td colspan="4">${esc(a.error)}</td></tr>`;
    const price = catalog.gpus.find((x) => x.id === g)?.price_usd_per_hour;
    const speed = a.serving ? `${fmt(a.serving.output_tokens_per_s)} out tok/s`
      : a.time?.train_tokens_per_s_per_gpu ? `${fmt(a.time.train_tokens_per_s_per_gpu)} tok/s/GPU`
        : a.time?.decode_tokens_per_s ? `${fmt(a.time.decode_tokens_per_s)} decode tok/s` : '–';
    return `<tr data-gpu="${esc(g)}" data-fits="${a.memory?.fits}" data-gib="${a.memory?.device_gib}"><td>${esc(g)}</td>` +
      `<td>${a.memory?.fits ? 'fits' : 'does not fit'}</td><td>${gib(a.memory?.device_gib)} of ${gib(a.memory?.usable_gib)}</td>` +
      `<td>${speed}</td><td>${price ? `$${price.toFixed(2)}/GPU-h` : 'no price'}</td></tr>`;
  });
  const line = cliLine(s, buildCase(s, s.gpu)).replace(/^headroom (fit|serve)/, 'headroom compare')
    .replace(` --gpu ${s.gpu}`, ` --gpu ${gpus.join(',')}`) + (s.task === 'serving' ? ' --task serving' : '');
  el.innerHTML = `<h3>Side by side</h3><table id="compare-table"><tr><th>GPU</th><th>verdict</th><th>device memory</th>` +
    `<th>speed</th><th>price</th></tr>${rows.join('')}</table><p><code id="compare-line">${esc(line)}</code></p>`;
}

function drawPlan() {
  const s = readState();
  const el = $('plan');
  const t0 = performance.now();
  let p;
  try {
    // The request of io/plan_json.hpp, as `headroom plan` writes it (the engine plans inference and serving
    // on a serving engine unless told otherwise, as the command does).
    const req = { case: buildCase({ ...s, tp: '', pp: '', zero: '' }, s.gpu, 1), top: 10 };
    if (s.objective) req.objective = s.objective;
    p = call('hr_plan', JSON.stringify(req));
  } catch (e) { p = { ok: false, error: e.message }; }
  if (!p.ok) { el.innerHTML = `<p class="error">${esc(p.error)}</p>`; return; }
  // The columns of `headroom plan`'s table (src/cli/cmd_scale.cpp).
  const money = (v, digits) => (v ? v.toFixed(digits) : '–');
  const serving = p.task === 'serving';
  const pct = p.slo ? p.slo.percentile : 50;
  const at = pct === 50 ? '' : ` p${pct}`;
  const key = pct >= 99 ? '_p99' : pct >= 90 ? '_p90' : '';
  const head = serving
    ? ['GPU', 'GPUs', 'dp/tp/ep', 'concurrency', `TTFT${at} ms`, `TPOT${at} ms`, 'out tok/s', 'tok/s/GPU', 'KV reqs', '$/h', '$/Mtok']
    : ['GPU', 'GPUs', 'dp/tp/pp', 'zero', 'batch', 'ckpt', 'GiB/GPU', s.task === 'training' ? 'tokens/s' : 'decode tok/s',
      '$/h', 'Mtok/$', 'why'];
  const cells = (o) => (serving
    ? [o.gpu, o.gpus, `${o.parallel.dp}/${o.parallel.tp}/${o.parallel.ep}`, o.concurrency,
      (1e3 * o.serving[`ttft${key}_s`]).toFixed(1), (1e3 * o.serving[`tpot${key}_s`]).toFixed(2),
      o.serving.output_tokens_per_s.toFixed(0), o.output_tokens_per_s_per_gpu.toFixed(0), o.kv_requests.toFixed(0),
      money(o.cost_usd_per_hour, 2), o.usd_per_million_output_tokens ? fmt(o.usd_per_million_output_tokens) : '–']
    : [o.gpu, o.gpus, `${o.parallel.dp}/${o.parallel.tp}/${o.parallel.pp}`, o.parallel.zero, o.batch, o.grad_checkpointing,
      o.per_gpu_gib.toFixed(1), o.throughput_tokens_per_s.toFixed(0), money(o.cost_usd_per_hour, 2),
      money(o.tokens_per_dollar / 1e6, 2),
      `${o.bound}-bound, ${(100 * o.exposed_comm_fraction).toFixed(0)}% exposed comm${o.gpus > 1 ? ` (${o.link})` : ''}`]);
  const rows = p.options.map((o) => `<tr>${cells(o).map((c) => `<td>${esc(String(c))}</td>`).join('')}</tr>`);
  el.innerHTML = p.options.length === 0 ? `<p>Nothing in the search space fits${p.slo ? ' and meets the SLO' : ''}.</p>`
    : `<table id="plan-table"><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr>${rows.join('')}</table>` +
      (p.why ? `<p id="plan-why">why: ${esc(p.why)}</p>` : '');
  $('plan-note').textContent = `best by ${p.objective} of ${p.fitting} fitting ${serving ? 'layouts' : 'configurations'} ` +
    `(${p.considered} considered), ${(performance.now() - t0).toFixed(0)} ms; ` +
    (serving ? '$/Mtok per million output tokens' : 'Mtok/$ million tokens per dollar') + " at the catalog's rental price";
}

// ---- the answer

function update() {
  const t0 = performance.now();
  const s = readState();
  for (const el of document.querySelectorAll('[data-task]')) el.hidden = !el.dataset.task.split(' ').includes(s.task);
  for (const el of document.querySelectorAll('[data-method]')) el.hidden ||= !el.dataset.method.split(' ').includes(s.method);
  for (const el of document.querySelectorAll('[data-src]')) el.hidden = el.dataset.src !== s.src;
  const url = urlOf(s);
  history.replaceState(null, '', url);
  $('share').href = url;
  $('plan').innerHTML = '';
  $('plan-note').textContent = '';
  let c;
  let r;
  try {
    c = buildCase(s, s.gpu);
    r = call('hr_answer', JSON.stringify(c));
  } catch (e) {
    r = { answer: { ok: false, error: e.message } };
  }
  const a = r.answer;
  let answered = 0;
  $('error').hidden = a.ok;
  if (!a.ok) $('summary').textContent = 'no answer: see the message';
  $('answer').hidden = !a.ok;
  if (!a.ok) {
    $('error').textContent = a.error;
  } else {
    drawVerdict(a, r.job);
    drawNumbers(a, c.slo);
    drawSuggestions(r.suggestions);
    drawCompare(s);
    answered = performance.now() - t0;
    drawRoofline(r.roofline);
    drawScaling(s, c.gpus ?? 1);
  }
  $('cli-line').textContent = c ? cliLine(s, c) : '';
  // From the input to the drawn answer, and to the charts too (the scaling chart evaluates four more cases).
  const ms = performance.now() - t0;
  $('timing').dataset.answerMs = String(answered || ms);
  $('timing').dataset.ms = String(ms);
  $('timing').textContent = `answered in ${(answered || ms).toFixed(1)} ms, charts drawn at ${ms.toFixed(1)} ms`;
}

// ---- Hugging Face ids (the only request the page makes, and only when asked)

async function fetchHub() {
  const id = $('hf').value.trim();
  const info = $('model-info');
  if (!/^[\w.-]+\/[\w.-]+$/.test(id)) { info.textContent = 'a Hugging Face id looks like org/name, e.g. Qwen/Qwen3-8B'; return; }
  info.textContent = `fetching ${id} …`;
  let res;
  try {
    res = await fetch(`https://huggingface.co/${id}/resolve/main/config.json`);
  } catch (e) {
    info.textContent = `could not reach huggingface.co (offline, or blocked): paste the config.json instead`;
    return;
  }
  if (res.status === 401 || res.status === 403) {
    info.textContent = `${id} is gated or private: accept its licence on huggingface.co, then paste its config.json here`;
    return;
  }
  if (!res.ok) { info.textContent = `huggingface.co answered ${res.status} for ${id}: check the id, or paste the config.json`; return; }
  let config;
  try { config = await res.json(); } catch (e) { info.textContent = `${id}: the config.json is not JSON`; return; }
  config._id = id;
  const m = call('hr_model', JSON.stringify(config));
  if (m.ok === false) { info.textContent = m.error; return; }
  hubConfig = config;
  info.textContent = `${id}: ${m.model_type}, ${(m.params_total / 1e9).toFixed(2)} B parameters`;
  update();
}

function describePaste() {
  const s = readState();
  if (s.src !== 'paste' || !s.config) return;
  try {
    const m = call('hr_model', JSON.stringify(JSON.parse(s.config)));
    $('model-info').textContent = m.ok === false ? m.error : `${m.model_type}, ${(m.params_total / 1e9).toFixed(2)} B parameters`;
  } catch (e) { $('model-info').textContent = `not JSON: ${e.message}`; }
}

function options(id, values, label = (v) => v) {
  const el = $(id);
  for (const v of values) el.add(new Option(label(v), v));
}

async function main() {
  engine = await window.createHeadroomEngine();
  catalog = call('hr_catalog');
  $('version').textContent = `Engine ${catalog.version}.`;
  const params = (n) => (n >= 1e9 ? `${(n / 1e9).toFixed(n >= 1e10 ? 0 : 1)}B` : `${(n / 1e6).toFixed(0)}M`);
  options('model', catalog.models.map((m) => m.id), (id) => {
    const m = catalog.models.find((x) => x.id === id);
    return `${id} (${params(m.params_total)}${m.params_active !== m.params_total ? `, ${params(m.params_active)} active` : ''})`;
  });
  const gpuLabel = (id) => { const g = catalog.gpus.find((x) => x.id === id); return `${g.name} (${Math.round(g.memory_gib)} GiB)`; };
  options('gpu', catalog.gpus.map((g) => g.id), gpuLabel);
  options('gpu2', catalog.gpus.map((g) => g.id), gpuLabel);
  const ch = catalog.choices;
  options('method', ch.method);
  options('optimizer', ch.optimizer.filter((v) => v !== 'adamw'));
  options('grad_checkpointing', ch.grad_checkpointing.filter((v) => v !== 'none'));
  options('kv_cache', ch.kv_cache);
  options('weights', ch.weights);
  options('runtime', ch.runtime);
  options('objective', ch.objective);
  const s = stateFromUrl();
  writeInputs(s);
  $('inputs').addEventListener('input', (e) => { if (e.target.id === 'config') describePaste(); if (e.target.id !== 'hf') update(); });
  $('inputs').addEventListener('change', (e) => { if (e.target.id === 'hf') fetchHub(); });
  $('hf-load').addEventListener('click', fetchHub);
  $('plan-run').addEventListener('click', drawPlan);
  $('objective').addEventListener('change', () => { history.replaceState(null, '', urlOf(readState())); });
  $('copy').addEventListener('click', async () => {
    const text = $('cli-line').textContent;
    try { await navigator.clipboard.writeText(text); $('copy').textContent = 'copied'; } catch (e) {
      // No clipboard permission (a plain-http page, or the browser refuses): select the text for a manual copy.
      getSelection().selectAllChildren($('cli-line'));
      $('copy').textContent = 'selected: copy it';
    }
  });
  describePaste();
  update();
  if (s.src === 'hf' && s.hf) fetchHub();
  document.body.dataset.ready = 'true';
}

main().catch((e) => { $('error').hidden = false; $('error').textContent = `the engine did not load: ${e.message}`; throw e; });
