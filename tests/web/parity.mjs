// parity.mjs - the node build of the check against the native one (issue 17).
//
//   node tests/web/parity.mjs NATIVE_HUIZONG HUIZONG_CLI_MJS DIR...
//
// For every .xlsx (and .xls) under the DIRs, runs `check --format json` with both
// programs and asserts that exit code, standard output (the JSON report) and
// standard error are equal; both read the same paths, so even the "file"
// fields are equal. The text output is compared over all files of a DIR at
// once, in Chinese and in English (that also checks the totals line).
// Two runs at a time. Fails when a DIR has no workbook.
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const [native, cli, ...dirs] = process.argv.slice(2);
if (!native || !cli || dirs.length === 0) {
  console.error("usage: node tests/web/parity.mjs NATIVE_HUIZONG HUIZONG_CLI_MJS DIR...");
  process.exit(2);
}
const env = { ...process.env, LANG: "C.UTF-8" };
delete env.HUIZONG_CONFIG;   // both use the configuration the page was built with

function workbooks(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...workbooks(path));
    else if (name.endsWith(".xlsx") || name.endsWith(".xls")) out.push(path);
  }
  return out;
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env });
    const out = [], err = [];
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out: Buffer.concat(out).toString(), err: Buffer.concat(err).toString() }));
  });
}

let failures = 0, compared = 0;
async function compare(label, args) {
  const [a, b] = await Promise.all([run(native, args), run(process.execPath, [cli, ...args])]);
  compared++;
  for (const key of ["code", "out", "err"]) {
    if (a[key] !== b[key]) {
      failures++;
      console.error(`parity: ${label}: ${key} differs\n  native: ${JSON.stringify(a[key]).slice(0, 400)}\n  node:   ${JSON.stringify(b[key]).slice(0, 400)}`);
      return;
    }
  }
  if (args.includes("json") && a.code !== 3 && a.code !== 2) JSON.parse(b.out);  // a report, not noise
}

const jobs = [];
let files = 0;
for (const dir of dirs) {
  const list = workbooks(dir);
  if (list.length === 0) {
    console.error(`parity: no .xlsx under ${dir}`);
    process.exit(1);
  }
  for (const file of list)
    jobs.push([`${file} (json)`, ["check", "--format", "json", file]]);
  jobs.push([`${dir} (all files, text)`, ["check", "--lang", "zh", ...list]]);
  jobs.push([`${dir} (all files, text, en)`, ["check", "--lang", "en", ...list]]);
  files += list.length;
}
// usage errors and a missing file answer alike too
jobs.push(["no file", ["check"]]);
jobs.push(["bad format", ["check", "--format", "xml", "x.xlsx"]]);
jobs.push(["missing file", ["check", "--format", "json", "/nonexistent/file.xlsx"]]);
jobs.push(["unknown round", ["check", "--round", "weekly", "x.xlsx"]]);
// each job runs native and node side by side: one job at a time is two processes
for (const [label, args] of jobs) await compare(label, args);
if (failures) {
  console.error(`parity: ${failures} of ${compared} runs differ`);
  process.exit(1);
}
console.log(`   node build equals native on ${files} workbooks (${compared} runs: exit code, stdout, stderr)`);
