// portal-pages.mjs - the portal's pages in headless Chromium, driven over
// the DevTools protocol on a pipe (--remote-debugging-pipe: no port, no
// WebSocket library, nothing from npm).
//
//   node portal-pages.mjs PORT UNIT_TOKEN CITY_TOKEN VALID.xlsx INVALID.xlsx OUTDIR [MODE]
//
// MODE server (the default: a server without the browser validator): as a
// county, opens /, expects the notice that the server checks alone, enters
// the token, picks the invalid workbook, uploads, expects the rejected
// verdict with its issues by cell; then the valid one, expects it accepted.
// As the city: opens /city in the same tab (the county token from
// sessionStorage is refused, the city's entered), expects unit 411002
// received, presses 汇总 and expects the PDF and XLSX links.
// MODE browser (the server has the validator): picking the invalid workbook
// checks it in the page's worker: the verdict and the issues by cell show
// with no request to /api/v1/submissions at all, and 上传 stays disabled;
// the valid one is checked the same way, then uploaded on request and the
// server's 201 verdict shown; the city sees the unit received (no 汇总).
// Screenshots go to OUTDIR; one JSON line of findings goes to stdout; the
// exit code is 0 only when every expectation held and no Content Security
// Policy violation or script error was logged.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [port, unitToken, cityToken, validFile, invalidFile, outDir, mode = 'server'] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: node portal-pages.mjs PORT UNIT_TOKEN CITY_TOKEN VALID INVALID OUTDIR');
  process.exit(2);
}
const base = `http://127.0.0.1:${port}`;
const profile = mkdtempSync(join(tmpdir(), 'hz-chromium-'));
const browser = spawn('chromium', [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-proxy-server', '--no-first-run',
  '--remote-debugging-pipe', `--user-data-dir=${profile}`, '--window-size=1200,900', 'about:blank',
], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });

const watchdog = setTimeout(() => fail('timed out'), 90000);
const problems = [];
let nextId = 1;
const pending = new Map();
const waiters = [];
let buffered = Buffer.alloc(0);

browser.stdio[4].on('data', (chunk) => {
  buffered = Buffer.concat([buffered, chunk]);
  let end;
  while ((end = buffered.indexOf(0)) >= 0) {
    const message = JSON.parse(buffered.subarray(0, end).toString('utf8'));
    buffered = buffered.subarray(end + 1);
    if (message.id && pending.has(message.id)) {
      const { resolve, reject } = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) reject(new Error(JSON.stringify(message.error)));
      else resolve(message.result);
    } else if (message.method) {
      onEvent(message);
    }
  }
});

function send(method, params = {}, sessionId) {
  const id = nextId++;
  const message = { id, method, params };
  if (sessionId) message.sessionId = sessionId;
  browser.stdio[3].write(JSON.stringify(message) + '\0');
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}

const submissions = []; // every request the page made to the upload route
function onEvent(message) {
  if (message.method === 'Network.requestWillBeSent' &&
      new URL(message.params.request.url).pathname === '/api/v1/submissions')
    submissions.push(message.params.request.method);
  if (message.method === 'Log.entryAdded') {
    const entry = message.params.entry;
    // answers 4xx to fetch are expected (the rejected upload, the county
    // token on the city page); anything else logged as an error is not
    const expected = /^Failed to load resource: the server responded with a status of 4\d\d/;
    if ((entry.level === 'error' && !expected.test(entry.text)) ||
        /Content Security Policy/.test(entry.text))
      problems.push(`log: ${entry.text}`);
  }
  if (message.method === 'Runtime.exceptionThrown')
    problems.push(`exception: ${message.params.exceptionDetails.text}`);
  for (const w of waiters.slice())
    if (w.method === message.method) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(message.params);
    }
}

function once(method) {
  return new Promise((resolve) => waiters.push({ method, resolve }));
}

function fail(why) {
  console.log(JSON.stringify({ ok: false, why, problems }));
  cleanup(1);
}

let cleaning = false;
function cleanup(code) {
  if (cleaning) return;
  cleaning = true;
  clearTimeout(watchdog);
  // Chromium's helper processes can outlive it by a moment and still write
  // into the profile: try again for a while, and never let the clean-up
  // decide the verdict
  const done = (tries = 0) => {
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
    } catch (e) {
      if (tries < 20) return setTimeout(() => done(tries + 1), 250);
      console.error(`portal-pages: could not remove ${profile}: ${e.message}`);
    }
    process.exit(code);
  };
  if (browser.exitCode !== null || browser.signalCode !== null) return done();
  browser.once('exit', () => done()); // its profile is free only once it is gone
  browser.kill('SIGKILL');
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  const page = (method, params) => send(method, params, sessionId);
  await page('Page.enable');
  await page('Runtime.enable');
  await page('Log.enable');
  await page('DOM.enable');
  await page('Network.enable');
  // a county office's browser asks for Chinese
  await page('Network.setUserAgentOverride', {
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) huizong-browser-test', acceptLanguage: 'zh-CN,zh',
  });

  const evaluate = async (expression) => {
    const r = await page('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (r.exceptionDetails) throw new Error(`${expression}: ${r.exceptionDetails.text}`);
    return r.result.value;
  };
  const open = async (path) => {
    const loaded = once('Page.loadEventFired');
    await page('Page.navigate', { url: base + path });
    await loaded;
  };
  const until = async (expression, want, ms = 20000) => {
    const stop = Date.now() + ms;
    let got;
    while (Date.now() < stop) {
      got = await evaluate(expression);
      if (want(got)) return got;
      await sleep(100);
    }
    throw new Error(`waited for ${expression}, last ${JSON.stringify(got)}`);
  };
  const shot = async (name) => {
    const { data } = await page('Page.captureScreenshot', { format: 'png' });
    writeFileSync(join(outDir, name), Buffer.from(data, 'base64'));
  };
  const pick = async (file) => {
    const { root } = await page('DOM.getDocument', { depth: 1 });
    const { nodeId } = await page('DOM.querySelector', { nodeId: root.nodeId, selector: '#file' });
    await page('DOM.setFileInputFiles', { nodeId, files: [file] });
  };
  const setToken = (token) => evaluate(`(() => { const t = document.getElementById('token');
    t.value = ${JSON.stringify(token)}; t.dispatchEvent(new Event('input')); return true; })()`);

  const found = { mode };
  const verdictStatus = `document.getElementById('verdict').dataset.status`;
  // the county
  await open('/');
  found.no_validator_shown = await evaluate(
    `getComputedStyle(document.getElementById('no-validator')).display !== 'none'`);
  found.validator_shown = await evaluate(
    `getComputedStyle(document.getElementById('validator')).display !== 'none'`);
  await setToken(unitToken);
  if (mode === 'browser') {
    await pick(invalidFile);
    found.invalid_status = await until(verdictStatus, (s) => s && s !== 'checking', 60000);
    found.invalid_text = await evaluate(`document.getElementById('verdict').textContent`);
    found.upload_disabled = await evaluate(`document.getElementById('upload').disabled`);
    // no request to the upload route while the file was only checked here
    found.submissions_after_invalid = submissions.length;
  } else {
    await pick(invalidFile);
    await evaluate(`document.getElementById('upload').click()`);
    found.invalid_status = await until(verdictStatus, (s) => s && s !== 'sending');
  }
  found.invalid_rules = await evaluate(
    `[...document.querySelectorAll('#issues tbody tr')].map((r) => r.dataset.rule)`);
  found.invalid_cells = await evaluate(
    `[...document.querySelectorAll('#issues tbody tr')].map((r) => r.cells[0].textContent)`);
  found.issues_visible = await evaluate(`!document.getElementById('issues').hidden`);
  await shot(mode === 'browser' ? 'county-browser-invalid.png' : 'county-rejected.png');

  await pick(validFile);
  if (mode === 'browser') {
    found.local_valid_status = await until(verdictStatus, (s) => s && s !== 'checking', 60000);
    found.local_valid_text = await evaluate(`document.getElementById('verdict').textContent`);
    found.submissions_before_upload = submissions.length;
    await shot('county-browser-valid.png');
  }
  await evaluate(`document.getElementById('upload').click()`);
  found.valid_status = await until(verdictStatus,
    (s) => s === 'accepted' || s === 'rejected' || s === 'error' || s === 'version_taken');
  found.valid_text = await evaluate(`document.getElementById('verdict').textContent`);
  found.who = await until(`document.getElementById('who').textContent`, (t) => t.length > 0);
  found.submissions = submissions.slice();
  await shot('county-accepted.png');

  // the city, same tab: the county token from sessionStorage is refused
  // first (403), then the city's token is entered
  await open('/city');
  await setToken(cityToken);
  await evaluate(`document.getElementById('refresh').click()`);
  found.city_status = await until(
    `(document.querySelector('tr[data-unit="411002"]') || {dataset: {}}).dataset.status`,
    (s) => s === 'on_time' || s === 'late');
  found.city_row = await evaluate(
    `[...document.querySelector('tr[data-unit="411002"]').cells].map((c) => c.textContent)`);
  found.city_missing = await evaluate(
    `document.querySelectorAll('tr[data-status="missing"]').length`);
  found.summary = await evaluate(`document.getElementById('summary').textContent`);
  await shot('city.png');

  if (mode !== 'browser') {
    // 汇总: consolidate into DIR/out/<round>/, links to the PDF and the XLSX
    await evaluate(`document.getElementById('consolidate').click()`);
    found.consolidate = await until(`document.getElementById('outputs').dataset.status`,
      (s) => s === 'done' || s === 'error', 60000);
    found.outputs = await evaluate(
      `[...document.querySelectorAll('#outputs a')].map((a) => a.id + '=' + a.textContent)`);
    await shot('city-consolidated.png');
  }

  const common = found.issues_visible && found.invalid_rules.includes('row.close_before_open') &&
    found.valid_status === 'accepted' && found.city_status === 'on_time' &&
    found.city_missing === 6 && problems.length === 0;
  const ok = common && (mode === 'browser'
    ? found.invalid_status === 'local_invalid' && found.upload_disabled &&
      found.submissions_after_invalid === 0 && found.local_valid_status === 'local_valid' &&
      found.submissions_before_upload === 0 && found.submissions.length === 1 &&
      found.validator_shown && !found.no_validator_shown
    : found.invalid_status === 'rejected' && found.no_validator_shown && !found.validator_shown &&
      found.submissions.length === 2 && found.consolidate === 'done' &&
      found.outputs.some((o) => /^out-pdf=.*\.pdf$/.test(o)) &&
      found.outputs.some((o) => /^out-xlsx=.*\.xlsx$/.test(o)));
  console.log(JSON.stringify({ ok, found, problems }));
  cleanup(ok ? 0 : 1);
}

main().catch((e) => fail(String(e && e.stack || e)));
