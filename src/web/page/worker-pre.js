// Runs before the emscripten glue in the page's worker. The wasm is inline
// (SINGLE_FILE); the glue would first try fetch() on its data: URL, which
// the policy's connect-src 'none' refuses (and reports as a violation)
// before it falls back to decoding the text itself. Without fetch it
// decodes at once, and the worker cannot connect anywhere by any means.
self.fetch = undefined;
