// Loaded with `node --require` before sphinxcontrib-katex's render server:
// the build holds this process's standard input open, so its end means the
// build has gone (finished, failed or killed) and the server must go too.
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
