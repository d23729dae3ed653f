// peer-sheetjs.mjs - the benchmark's JavaScript peer (issue 19): the same job
// as bench/peer.py, written with SheetJS (npm package `xlsx`, pinned in
// bench/package.json and bench/package-lock.json; bench/run.sh installs it
// with `npm ci` into bench/node_modules, which git ignores).
//
// Reads every return of one or more round folders and prints the case
// totals per unit: cases filed, closed, amount involved (万元), fines and
// confiscations (万元) and cases transferred, plus the city totals of each
// folder, in peer.py's tab-separated format:
//   folder  unit  filed  closed  amount  fine  transferred
//
// Only the two sheets it needs are parsed, into dense arrays, with cell
// values only (no formatted text, HTML, number formats or styles): the fast
// way to use SheetJS, not a straw man. Amounts are summed exactly, as
// decimal strings scaled to integers (BigInt), so that the totals compare
// digit for digit with huizong's and the Python peers'.
//
// usage: node bench/peer-sheetjs.mjs FOLDER...
import { readFileSync, readdirSync } from "node:fs";
import { basename, join, normalize } from "node:path";
import XLSX from "xlsx";

const CASES = "案件明细";
const INFO = "基本信息";
const COLUMNS = ["办理状态", "涉案金额（万元）", "罚没金额（万元）", "是否移送司法机关"];
const SCALE_DIGITS = 8;                 // amounts carry up to 4 decimals; room to spare
const SCALE = 10n ** BigInt(SCALE_DIGITS);

// A cell value to an integer count of 10^-8 万元; throws on what is not a decimal.
function money(v) {
  if (v === undefined || v === null || v === "") return 0n;
  const s = String(v).trim().replace(/,/g, "");
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[2] === "" && (m[3] ?? "") === "") || (m[3] ?? "").length > SCALE_DIGITS)
    throw new Error(`not an amount: ${JSON.stringify(v)}`);
  const n = BigInt(m[2] || "0") * SCALE + BigInt((m[3] ?? "").padEnd(SCALE_DIGITS, "0"));
  return m[1] === "-" ? -n : n;
}

// An integer count of 10^-8 to the shortest decimal string (as Python's Decimal sum prints
// it, up to trailing zeros: the comparison in bench/run.sh is numeric).
function decimal(n) {
  const neg = n < 0n;
  const a = neg ? -n : n;
  let frac = (a % SCALE).toString().padStart(SCALE_DIGITS, "0").replace(/0+$/, "");
  const s = (a / SCALE).toString() + (frac ? "." + frac : "");
  return neg ? "-" + s : s;
}

function readReturn(path) {
  const wb = XLSX.read(readFileSync(path), {
    type: "buffer", sheets: [INFO, CASES], dense: true,
    cellText: false, cellHTML: false, cellNF: false, cellStyles: false, cellDates: false,
  });
  const opts = { header: 1, raw: true, defval: null, blankrows: false };
  let code = null;
  for (const row of XLSX.utils.sheet_to_json(wb.Sheets[INFO], opts)) {
    if (row[0] === "单位代码") { code = String(row[1]).trim(); break; }
  }
  const rows = XLSX.utils.sheet_to_json(wb.Sheets[CASES], opts);
  const header = rows[0];
  const [iStatus, iAmount, iFine, iTransfer] = COLUMNS.map((c) => {
    const i = header.indexOf(c);
    if (i < 0) throw new Error(`${path}: no column ${c}`);
    return i;
  });
  const t = [0, 0, 0n, 0n, 0];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    if (!row || row[0] === null || row[0] === undefined) continue;
    t[0] += 1;
    if (row[iStatus] === "已结案") t[1] += 1;
    if (row[iTransfer] === "是") t[4] += 1;
    t[2] += money(row[iAmount]);
    t[3] += money(row[iFine]);
  }
  return [code, t];
}

const folders = process.argv.slice(2);
if (folders.length === 0) {
  process.stderr.write("usage: node bench/peer-sheetjs.mjs FOLDER...\n");
  process.exit(2);
}
const out = ["folder\tunit\tfiled\tclosed\tamount\tfine\ttransferred"];
const line = (label, unit, t) =>
  `${label}\t${unit}\t${t[0]}\t${t[1]}\t${decimal(t[2])}\t${decimal(t[3])}\t${t[4]}`;
for (const folder of folders) {
  const label = basename(normalize(folder));
  const totals = new Map();
  const names = readdirSync(folder)
    .filter((n) => n.endsWith(".xlsx") && !n.startsWith("~$") && !n.startsWith("."))
    .sort();
  for (const name of names) {
    const [code, f] = readReturn(join(folder, name));
    const u = totals.get(code) ?? [0, 0, 0n, 0n, 0];
    for (let i = 0; i < 5; i++) u[i] += f[i];
    totals.set(code, u);
  }
  const city = [0, 0, 0n, 0n, 0];
  for (const code of [...totals.keys()].sort()) {
    const u = totals.get(code);
    out.push(line(label, code, u));
    for (let i = 0; i < 5; i++) city[i] += u[i];
  }
  out.push(line(label, "city", city));
}
process.stdout.write(out.join("\n") + "\n");
