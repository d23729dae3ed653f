// huizong-cli.mjs: an ES module has no require; the emscripten glue for
// node needs one (fs, path) and __dirname for the .wasm beside it.
import { createRequire } from "module";
import { dirname } from "path";
import { fileURLToPath } from "url";
const require = createRequire(import.meta.url);
const __filename = fileURLToPath(import.meta.url);
const __dirname = dirname(__filename);
// Node 20 has a global fetch, and the glue would try to fetch the .wasm
// with it ("Failed to parse URL"); without it the glue reads the file.
const fetch = undefined;
