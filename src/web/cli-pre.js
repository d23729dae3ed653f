// huizong-cli.mjs (inside the module): the process's environment reaches
// the C code's getenv, as it does for the native huizong (LANG picks the
// message language). Plain ES5: emscripten 3.1.6's minifier reads no more.
Module["preRun"] = Module["preRun"] || [];
Module["preRun"].push(function () {
  var env = process["env"];
  for (var key in env) ENV[key] = env[key];
});
