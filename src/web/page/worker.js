// The worker side of huizong-check.html and of the portal's county page
// (after the emscripten glue that defines createHuizong): one workbook at a
// time into the in-memory file system, checked by hz_web_check
// (src/web/web_page.c) with the configuration snapshot the page hands over,
// removed again. The module has no configuration of its own: the snapshot
// of the page is the one the city's `huizong` wrote into it.
"use strict";
const huizong = createHuizong({ print: () => {}, printErr: () => {} });
huizong.then(() => postMessage({ type: "ready" }),
             (err) => postMessage({ type: "fatal", message: String(err) }));
const SNAPSHOT = "/config/snapshot.json";
let written = null;  // the snapshot text now in SNAPSHOT
onmessage = async (e) => {
  const { id, name, data, lang, round, snapshot } = e.data;
  let M;
  try {
    M = await huizong;
  } catch (err) {
    postMessage({ id, type: "error", message: String(err) });
    return;
  }
  // the report names the file as the county named it: check it by its bare
  // name inside a folder of its own
  const dir = "/in/" + id;
  try {
    if (typeof snapshot === "string" && snapshot !== written) {
      M.FS.mkdirTree("/config");
      M.FS.writeFile(SNAPSHOT, snapshot);
      written = snapshot;
    }
    M.FS.mkdirTree(dir);
    M.FS.writeFile(dir + "/" + name, new Uint8Array(data));
    M.FS.chdir(dir);
    postMessage({ id, type: "progress" });
    const ptr = M.ccall("hz_web_check", "number", ["string", "string", "string", "string"],
                        [name, lang, round || "", written === null ? "" : SNAPSHOT]);
    const text = M.UTF8ToString(ptr);
    M._hz_web_free(ptr);
    postMessage({ id, type: "result", result: JSON.parse(text) });
  } catch (err) {
    postMessage({ id, type: "error", message: String(err) });
  } finally {
    try { M.FS.chdir("/"); M.FS.unlink(dir + "/" + name); M.FS.rmdir(dir); } catch (ignored) { /* already gone */ }
  }
};
