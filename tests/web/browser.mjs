// browser.mjs - huizong-check.html in Debian's headless Chromium (issue 17).
//
//   node tests/web/browser.mjs [--config DIR] PAGE.html VALID.xlsx FAULTY.xlsx FIRST_CELL \
//        NATIVE_HUIZONG SCREENSHOT.png [DROPPED.xlsx...]
//
// --config DIR: the configuration the page was written for (by `huizong
// template --all --config DIR`); the native check runs with it, and the
// page must show its campaign.
//
// Opens the page from file:// and drives it through the DevTools protocol
// (over --remote-debugging-pipe: no npm package, no port): gives it the two
// workbooks through its file picker and the DROPPED ones (damaged,
// encrypted, not a workbook...) by drag and drop, waits for every verdict
// and asserts it, that the first issue of the faulty one is at FIRST_CELL
// (as "sheet!cell"), and that every file's verdict and first message are
// those of the native `huizong check --format json`. It also asserts that
// nothing but the page itself and its
// own blob: worker was requested (no network request at all), and that the
// page's Content-Security-Policy refuses a connection when one is tried.
// Exits 1 on any failure; a missing /usr/bin/chromium is a failure.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const configDir = args[0] === "--config" ? (args.shift(), args.shift()) : null;
const [page, valid, faulty, firstCell, native, screenshot, ...dropped] = args;
if (!page || !valid || !faulty || !firstCell || !native || !screenshot) {
  console.error("usage: node tests/web/browser.mjs [--config DIR] PAGE.html VALID.xlsx FAULTY.xlsx FIRST_CELL NATIVE_HUIZONG SCREENSHOT.png [DROPPED.xlsx...]");
  process.exit(2);
}
// what the native check says about each file: verdict and first message,
// run in the file's folder with its bare name, as the page names it
const expected = new Map();
const nativeBin = resolve(native);
for (const file of [valid, faulty, ...dropped]) {
  const r = spawnSync(nativeBin, ["check", ...(configDir ? ["--config", resolve(configDir)] : []),
                                  "--format", "json", "--lang", "zh", basename(file)],
                      { encoding: "utf8", cwd: dirname(resolve(file)) });
  const task = JSON.parse(r.stdout).tasks[0];
  expected.set(file.split("/").pop(), { valid: String(task.valid), message: task.issues.length ? task.issues[0].message : null });
}
const chromium = "/usr/bin/chromium";
if (!existsSync(chromium)) {
  console.error("browser.mjs: /usr/bin/chromium is missing (Debian package chromium, in deps/debian-packages.txt)");
  process.exit(1);
}
const fail = (message) => { console.error("browser.mjs: " + message); cleanup(); process.exit(1); };
const profile = mkdtempSync(join(tmpdir(), "hz-chromium-"));
const browser = spawn(chromium, [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--remote-debugging-pipe", `--user-data-dir=${profile}`, "--lang=zh-CN", "--window-size=1280,900",
  "about:blank",
], { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] });
let stderrTail = "";
browser.stderr.on("data", (d) => { stderrTail = (stderrTail + d).slice(-2000); });
function cleanup() {
  try { browser.kill("SIGKILL"); } catch { /* gone */ }
  try { rmSync(profile, { recursive: true, force: true }); } catch { /* best effort */ }
}
const timer = setTimeout(() => fail("timed out after 120 s\n" + stderrTail), 120000);

// --- the protocol: NUL-terminated JSON messages on fds 3 (to) and 4 (from)
const toBrowser = browser.stdio[3], fromBrowser = browser.stdio[4];
let nextId = 1, buffer = "";
const waiting = new Map(), listeners = [];
fromBrowser.on("data", (chunk) => {
  buffer += chunk.toString();
  let end;
  while ((end = buffer.indexOf("\0")) >= 0) {
    const message = JSON.parse(buffer.slice(0, end));
    buffer = buffer.slice(end + 1);
    if (message.id && waiting.has(message.id)) {
      const { resolve, reject } = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.error) reject(new Error(JSON.stringify(message.error))); else resolve(message.result);
    } else if (message.method) {
      for (const l of listeners) l(message);
    }
  }
});
function send(method, params = {}, sessionId) {
  const id = nextId++;
  toBrowser.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + "\0");
  return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
}

const requests = [];
const violations = [];
listeners.push((m) => {
  if (m.method === "Network.requestWillBeSent") requests.push(m.params.request.url);
  if (m.method === "Network.webSocketCreated") requests.push(m.params.url);
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
try {
  const { targetId } = await send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
  const s = (method, params) => send(method, params, sessionId);
  // workers get their own sessions: watch their network too
  listeners.push(async (m) => {
    if (m.method === "Target.attachedToTarget") {
      const child = m.params.sessionId;
      await send("Network.enable", {}, child).catch(() => {});
      await send("Runtime.runIfWaitingForDebugger", {}, child).catch(() => {});
    }
  });
  await s("Target.setAutoAttach", { autoAttach: true, waitForDebuggerOnStart: true, flatten: true });
  await s("Network.enable");
  await s("Page.enable");
  await s("Runtime.enable");
  await s("Emulation.setDeviceMetricsOverride", { width: 1280, height: 900, deviceScaleFactor: 1, mobile: false });
  // a Chinese office PC: the page speaks Chinese (English is checked below)
  const { product } = await send("Browser.getVersion");
  const userAgent = `Mozilla/5.0 (X11; Linux x86_64) ${product}`;
  await s("Network.setUserAgentOverride", { userAgent, acceptLanguage: "zh-CN" });
  const url = pathToFileURL(resolve(page)).href;
  await s("Page.navigate", { url });
  const evaluate = async (expression) => {
    const r = await s("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true });
    if (r.exceptionDetails) throw new Error(JSON.stringify(r.exceptionDetails));
    return r.result.value;
  };
  for (let i = 0; ; i++) {
    const state = await evaluate("document.body ? document.body.dataset.ready || '' : ''").catch(() => "");
    if (state === "true") break;
    if (state === "failed") fail("the page says the checker failed: " + await evaluate("document.getElementById('status').textContent"));
    if (i > 300) fail("the page did not become ready");
    await sleep(100);
  }
  if (configDir) {
    // the page shows the campaign of the configuration it was written for
    const snap = spawnSync(nativeBin, ["snapshot", "--config", resolve(configDir)], { encoding: "utf8" });
    const name = JSON.parse(snap.stdout).campaign.name;
    const shown = await evaluate("document.getElementById('campaign').textContent");
    if (!shown.includes(name)) fail(`the page shows the campaign "${shown}", expected ${name}`);
  }
  const lang = await evaluate("document.documentElement.lang");
  if (lang !== "zh-CN") fail(`page language ${lang}, expected zh-CN for a Chinese browser`);

  // the file picker: both workbooks at once
  const { root } = await s("DOM.getDocument", {});
  const { nodeId } = await s("DOM.querySelector", { nodeId: root.nodeId, selector: "#files" });
  await s("DOM.setFileInputFiles", { nodeId, files: [resolve(valid), resolve(faulty)] });
  // drag and drop onto the drop zone, as from the file manager
  if (dropped.length) {
    const box = await evaluate("(() => { const r = document.getElementById('drop').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()");
    const data = { items: [], files: dropped.map((f) => resolve(f)), dragOperationsMask: 1 };
    for (const type of ["dragEnter", "dragOver", "drop"])
      await s("Input.dispatchDragEvent", { type, x: box[0], y: box[1], data });
  }
  const total = 2 + dropped.length;
  for (let i = 0; ; i++) {
    if (await evaluate("document.body.dataset.checked || '0'") === String(total)) break;
    if (i > 600) fail(`no verdict for all ${total} files after 60 s`);
    await sleep(100);
  }
  const cards = await evaluate(`Array.from(document.querySelectorAll('article.file')).map((c) => ({
      name: c.dataset.file,
      valid: c.querySelector('.verdict').dataset.valid,
      verdict: c.querySelector('.verdict').textContent,
      firstCell: (c.querySelector('td.issue-cell') || {}).textContent || null,
      firstRule: (c.querySelector('table.issues tbody tr td:nth-child(4)') || {}).textContent || null,
      firstMessage: (c.querySelector('td.message') || {}).textContent || null }))`);
  for (const card of cards) {
    const want = expected.get(card.name);
    if (!want) fail("the page shows a file it was not given: " + card.name);
    if (card.valid !== want.valid || card.firstMessage !== want.message)
      fail(`${card.name}: the page shows ${JSON.stringify([card.valid, card.firstMessage])}, native huizong check ${JSON.stringify([want.valid, want.message])}`);
  }
  if (cards.length !== total) fail(`the page shows ${cards.length} files, ${total} were given`);
  const byName = (p) => cards.find((c) => c.name === p.split("/").pop());
  const v = byName(valid), f = byName(faulty);
  if (!v || !f) fail("the page does not show both files: " + JSON.stringify(cards));
  if (v.valid !== "true" || v.verdict !== "通过") fail("the valid workbook is shown as " + JSON.stringify(v));
  if (f.valid !== "false" || f.verdict !== "未通过") fail("the faulty workbook is shown as " + JSON.stringify(f));
  if (f.firstCell !== firstCell) fail(`first issue of the faulty workbook at ${f.firstCell}, expected ${firstCell}`);

  // a connection the page might try is refused by its policy
  const blocked = await evaluate(`fetch('http://127.0.0.1:9/').then(() => 'allowed', (e) => 'refused')`);
  if (blocked !== "refused") fail("a fetch from the page was not refused");
  await sleep(300);
  const external = requests.filter((u) => !u.startsWith("file:") && !u.startsWith("blob:") && !u.startsWith("data:"));
  // the refused fetch never leaves the page: CSP stops it before the network
  if (external.length) fail("the page made network requests: " + external.join(", "));
  if (!requests.some((u) => u.startsWith("file:"))) fail("the protocol saw no request at all (the network watch is not working)");

  const { data } = await s("Page.captureScreenshot", { format: "png", captureBeyondViewport: true });
  writeFileSync(screenshot, Buffer.from(data, "base64"));
  // an English browser gets the English interface
  await s("Network.setUserAgentOverride", { userAgent, acceptLanguage: "en-US" });
  await s("Page.reload", {});
  for (let i = 0; ; i++) {
    await sleep(100);
    const state = await evaluate("document.documentElement.lang + ' ' + document.getElementById('title').textContent").catch(() => "");
    if (state === "en Submission check (browser)") break;
    if (i > 100) fail("an English browser does not get the English page: " + state);
  }
  console.log(`   page: ${v.name} ${v.verdict}, ${f.name} ${f.verdict} (first issue ${f.firstCell}, ${f.firstRule}); ` +
              `${dropped.length} dropped files as native; ` +
              `${requests.length} requests, all local (${[...new Set(requests.map((u) => u.split(":")[0]))].join(", ")})`);
  clearTimeout(timer);
  cleanup();
  process.exit(0);
} catch (err) {
  fail(String(err && err.stack || err));
}
