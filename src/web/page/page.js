"use strict";
// The page side of huizong-check.html: files in, the worker's reports out.
// Every sentence about a workbook comes from the worker, which runs the
// native `huizong check` compiled to WebAssembly; this script only lays out.
(function () {
  const lang = /^en\b/i.test((navigator.languages && navigator.languages[0]) || navigator.language || "") ? "en" : "zh";
  const T = {
    zh: {
      title: "报送表校验（网页版）",
      privacy: "本页面在您的电脑上检查报送表：不联网，不上传，文件不会被修改。检查规则与市局 huizong check 完全相同。",
      campaign: (c, n) => `${c.authority} · ${c.name}（${c.year} 年，${n} 个报送单位）`,
      roundLabel: "报送轮次：",
      roundOwn: "按表内「报送类型」",
      drop: "把一个或多个报送表（.xlsx）拖到这里，或",
      pick: "选择报送表…",
      loading: "正在准备校验程序…",
      ready: "可以开始：选择或拖入报送表。",
      reading: "读取文件",
      checking: "检查中…",
      valid: "通过",
      invalid: "未通过",
      unreadable: "无法检查",
      cols: ["单元格", "级别", "问题", "规则", "填写值", "应为"],
      explained: "已说明",
      explainedNote: "「已说明」的警告：本行「说明」栏已填写，视为单位确认，不影响通过。未说明的警告请核实数值，或在「说明」栏写明原因。提示仅供参考。",
      save: "保存 JSON 报告",
      done: (n, v) => `已检查 ${n} 个文件：${v} 个通过，${n - v} 个未通过。`,
      failed: "校验程序出错：",
      noConfig: "本页面没有写入配置：请使用市局 huizong template --all 生成的页面。",
      help: "使用方法：1. 选择报送轮次（一般保持「按表内『报送类型』」）；2. 选择或拖入报送表；3. 按表格逐格修改「未通过」的问题，保存后重新检查，直到显示「通过」；4. 需要时点「保存 JSON 报告」留存结果。",
    },
    en: {
      title: "Submission check (browser)",
      privacy: "This page checks workbooks on your computer: no network, nothing uploaded, files are never modified. The rules are those of the city's huizong check.",
      campaign: (c, n) => `${c.authority} · ${c.name} (${c.year}, ${n} reporting units)`,
      roundLabel: "Round: ",
      roundOwn: "as the workbook says (报送类型)",
      drop: "Drop one or more submission workbooks (.xlsx) here, or",
      pick: "Choose workbooks…",
      loading: "Preparing the checker…",
      ready: "Ready: choose or drop workbooks.",
      reading: "reading",
      checking: "checking…",
      valid: "valid",
      invalid: "NOT valid",
      unreadable: "cannot be checked",
      cols: ["Cell", "Severity", "Problem", "Rule", "Found", "Expected"],
      explained: "explained",
      explainedNote: "Explained warnings: the row's 说明 cell is filled, so the unit confirms the value; they do not block. Check unexplained warnings or explain them in 说明. Notices are for information.",
      save: "Save JSON report",
      done: (n, v) => `${n} file(s) checked: ${v} valid, ${n - v} not valid.`,
      failed: "The checker failed: ",
      noConfig: "This page carries no configuration: use the page that the city's huizong template --all wrote.",
      help: "How to use: 1. pick the round (usually keep the workbook's own); 2. choose or drop the workbooks; 3. fix every problem of a file that is NOT valid, cell by cell, save it and check again until it is valid; 4. keep the result with \"Save JSON report\" if needed.",
    },
  }[lang];
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v; else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c);
    return e;
  };
  const fill = (template, args) => template.replace(/\{(\d)\}/g, (_, i) => args[i - 1] ?? "");

  // the configuration snapshot the city's `huizong` wrote into the page
  // (template --all, serve): the header shows it, the worker checks with it
  const snapshotText = $("hz-snapshot").textContent;
  let snapshot = null;
  try { snapshot = JSON.parse(snapshotText); } catch (ignored) { /* shown below */ }
  const config = snapshot && snapshot.campaign && Array.isArray(snapshot.rounds) && Array.isArray(snapshot.units)
    ? { campaign: snapshot.campaign, rounds: snapshot.rounds, units: snapshot.units.length } : null;
  document.title = T.title + " · huizong";
  $("title").textContent = T.title;
  $("campaign").textContent = config ? T.campaign(config.campaign, config.units) : T.noConfig;
  $("privacy").textContent = T.privacy;
  $("round-label").textContent = T.roundLabel;
  $("drop-text").textContent = T.drop;
  $("pick-text").textContent = T.pick;
  $("save").textContent = T.save;
  $("help").textContent = T.help;
  const roundSelect = $("round");
  roundSelect.append(el("option", { value: "" }, T.roundOwn));
  for (const r of config ? config.rounds : [])
    roundSelect.append(el("option", { value: r.id },
      `${r.name}（${r.period_start} ~ ${r.period_end}，${lang === "en" ? "due" : "截止"} ${r.deadline}）`));

  const status = $("status");
  status.textContent = T.loading;
  const workerUrl = URL.createObjectURL(new Blob([$("hz-worker").textContent], { type: "text/javascript" }));
  const worker = new Worker(workerUrl);
  const pending = new Map();   // id -> {card, resolve}
  const results = [];          // in the order files were given
  let nextId = 1, ready = false;
  const queue = [];
  let running = Promise.resolve();

  worker.onmessage = (e) => {
    const m = e.data;
    if (m.type === "ready") {
      ready = true;
      status.textContent = T.ready;
      document.body.dataset.ready = "true";
      queue.splice(0).forEach((f) => f());
      return;
    }
    if (m.type === "fatal") {
      status.textContent = T.failed + m.message;
      document.body.dataset.ready = "failed";
      return;
    }
    const job = pending.get(m.id);
    if (!job) return;
    if (m.type === "progress") {
      job.card.setBusy(T.checking, null);
    } else if (m.type === "result") {
      pending.delete(m.id);
      job.resolve(m.result);
    } else if (m.type === "error") {
      pending.delete(m.id);
      job.resolve({ exit: 3, report: null, stderr: m.message, words: null });
    }
  };
  worker.onerror = (e) => { status.textContent = T.failed + (e.message || e); };

  function makeCard(name) {
    const verdict = el("span", { class: "verdict busy" }, T.reading);
    const bar = el("progress", { max: "100", value: "0" });
    const summary = el("span", { class: "summary" });
    const body = el("div");
    const card = el("article", { class: "file", "data-file": name },
      el("h2", {}, name), el("div", {}, verdict, bar, summary), body);
    $("results").append(card);
    card.setBusy = (text, percent) => {
      verdict.textContent = text;
      if (percent == null) bar.removeAttribute("value"); else bar.value = percent;
    };
    card.show = (result) => {
      bar.remove();
      const task = result.report && result.report.tasks && result.report.tasks[0];
      const w = result.words;
      const unreadable = !task || result.exit === 3 || result.exit === 2;
      const cls = unreadable ? "unreadable" : task.valid ? "valid" : "invalid";
      verdict.className = "verdict " + cls;
      verdict.dataset.valid = String(!!(task && task.valid));
      verdict.textContent = T[cls];
      if (task && w) {
        const c = task.counts;
        summary.textContent = task.valid
          ? fill(w.valid, [task.cases, c.warnings + c.explained, c.explained, c.notices]).trim()
          : fill(w.invalid, [c.errors, c.warnings, c.explained, c.notices]).trim();
      }
      if (result.stderr) body.append(el("p", { class: "stderr" }, result.stderr));
      if (task && task.issues.length) {
        const head = el("tr", {}, ...T.cols.map((c) => el("th", {}, c)));
        const table = el("table", { class: "issues" }, el("thead", {}, head));
        const tbody = el("tbody");
        for (const i of task.issues) {
          const where = i.cell ? `${i.sheet}!${i.cell}` : i.sheet;
          const sev = el("td", { class: "sev" }, w[i.severity].trim());
          if (i.explained) sev.append(el("span", { class: "tag" }, T.explained));
          tbody.append(el("tr", { class: i.severity + (i.explained ? " explained" : "") },
            el("td", { class: "cell issue-cell" }, where), sev, el("td", { class: "message" }, i.message),
            el("td", {}, i.rule), el("td", {}, i.found), el("td", {}, i.expected)));
        }
        table.append(tbody);
        body.append(table);
        if (task.issues.some((i) => i.severity !== "error"))
          body.append(el("p", { class: "note" }, T.explainedNote));
      }
    };
    return card;
  }

  function readFile(file, card) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onprogress = (e) => { if (e.lengthComputable) card.setBusy(T.reading, Math.round(100 * e.loaded / e.total)); };
      reader.onload = () => resolve(reader.result);
      reader.onerror = () => reject(reader.error);
      reader.readAsArrayBuffer(file);
    });
  }

  function checkOne(file) {
    const card = makeCard(file.name);
    const slot = results.length;
    results.push(null);
    running = running.then(async () => {
      let result;
      try {
        const data = await readFile(file, card);
        card.setBusy(T.checking, null);
        const id = nextId++;
        result = await new Promise((resolve) => {
          pending.set(id, { card, resolve });
          worker.postMessage({ id, name: file.name, data, lang, round: roundSelect.value, snapshot: snapshotText }, [data]);
        });
      } catch (err) {
        result = { exit: 3, report: null, stderr: String(err), words: null };
      }
      results[slot] = result;
      card.show(result);
      const done = results.filter(Boolean);
      const valid = done.filter((r) => r.report && r.report.tasks[0] && r.report.tasks[0].valid).length;
      status.textContent = T.done(done.length, valid);
      $("save").disabled = false;
      document.body.dataset.checked = String(done.length);
    });
  }

  function checkFiles(list) {
    const files = Array.from(list);
    const go = () => files.forEach(checkOne);
    if (ready) go(); else queue.push(go);
  }

  $("files").addEventListener("change", (e) => { checkFiles(e.target.files); e.target.value = ""; });
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); checkFiles(e.dataTransfer.files); });
  // a file dropped beside the zone must not make the browser open it instead
  window.addEventListener("dragover", (e) => e.preventDefault());
  window.addEventListener("drop", (e) => e.preventDefault());

  // The JSON report of every file checked, in the shape of
  // `huizong check --format json` over the same files.
  $("save").addEventListener("click", () => {
    const tasks = results.filter((r) => r && r.report).flatMap((r) => r.report.tasks);
    const report = { valid: tasks.length > 0 && tasks.every((t) => t.valid), tasks };
    const blob = new Blob([JSON.stringify(report, null, 2) + "\n"], { type: "application/json" });
    const a = el("a", { href: URL.createObjectURL(blob), download: "huizong-check-report.json" });
    document.body.append(a);
    a.click();
    a.remove();
  });
})();
