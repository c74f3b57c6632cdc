// The page in Debian's Firefox ESR, driven over WebDriver BiDi by puppeteer-core (playwright-core drives
// only its own patched Firefox builds): the default question (Llama-3-70B QLoRA on one RTX 4090) and a
// serving question answer as the command line does, a phone-sized window has no horizontal scroll, and no
// JavaScript or console error appears. The Chromium test (page_test.js) covers the rest of the page.
//
// node firefox_test.js SITE_DIR HEADROOM_BIN OUT_DIR [FIREFOX]   (exit 77: no Firefox, skipped)

'use strict';
const fs = require('fs');
const path = require('path');
const { startServer, near } = require('./common');

const [site, headroom, out, firefoxPath = '/usr/bin/firefox-esr'] = process.argv.slice(2);
if (!fs.existsSync(firefoxPath)) {
  console.log(`no Firefox at ${firefoxPath}: skipped`);
  process.exit(77);
}
const puppeteer = require('puppeteer-core');
const cli = (args) => require('./common').cli(headroom, args);

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures += 1;
}

async function main() {
  fs.mkdirSync(out, { recursive: true });
  const server = await startServer(site);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const profile = fs.mkdtempSync(path.join(out, 'firefox-profile-'));
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: firefoxPath, headless: true, userDataDir: profile });
  console.log(`browser: ${await browser.version()}`);
  const errors = [];
  const page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  const open = async (query) => {
    await page.goto(base + query);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
  };

  await page.setViewport({ width: 1280, height: 900 });
  await open('');
  const fits = (await page.$eval('#verdict', (el) => el.dataset.fits)) === 'true';
  const gib = Number(await page.$eval('#total', (el) => el.dataset.gib));
  const fit = cli(['fit', 'llama-3-70b', '--gpu', 'rtx-4090', '--method', 'qlora', '--json']);
  console.log(`page: fits ${fits} ${gib} GiB; headroom fit: ${fit.memory.fits} ${fit.memory.device_gib} GiB`);
  check(fits === fit.memory.fits && near(gib, fit.memory.device_gib), 'llama-3-70b QLoRA on rtx-4090 equals `headroom fit --json`');
  check(await page.$eval('#roofline', (el) => el.querySelector('canvas') !== null), 'the roofline chart is drawn');
  await page.select('#grad_checkpointing', 'full');  // a change of input: the README's QLoRA question
  const ms = Number(await page.$eval('#timing', (el) => el.dataset.answerMs));
  console.log(`input change to the drawn answer: ${ms.toFixed(1)} ms`);
  await page.screenshot({ path: path.join(out, 'web-firefox.png'), fullPage: true });

  await open('?task=serving&model=llama-3-8b&gpu=h100-sxm5-80gb&concurrency=16');
  const ttft = Number(await page.$eval('#numbers tr[data-key="serving.ttft_s"]', (el) => el.dataset.value));
  const serve = cli(['serve', 'llama-3-8b', '--gpu', 'h100-sxm5-80gb', '--concurrency', '16', '--json']).gpus[0].points[0];
  check(near(ttft, serve.serving.ttft_s), `serving TTFT equals \`headroom serve --json\` (${ttft} s)`);

  await page.setViewport({ width: 390, height: 844 });
  await open('');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(overflow <= 1, `no horizontal scroll in a 390 px window (overflow ${overflow} px)`);

  for (const e of errors) console.log(`  ${e}`);
  check(errors.length === 0, `no JavaScript error or console error (${errors.length})`);
  await browser.close();
  server.close();
  fs.rmSync(profile, { recursive: true, force: true });
  console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
  process.exit(failures ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(1); });
