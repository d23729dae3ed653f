// huizong-cli.mjs: run main with the command line (the exit code is main's),
// the .wasm read from beside this file.
Module({ locateFile: function (name) { return __dirname + "/" + name; } });
