// Preloaded (`node -r bench/peakRss.cjs …`) into a benchmarked child process: at exit, writes its
// peak RSS (kB) to BENCH_PEAK_RSS_FILE, however the process ends its work (a CLI calls process.exit).
// CommonJS on purpose: an ESM preload (`--import`) puts node's ESM loader in front of the CLI's
// CommonJS bundle, which cost 250 ms per start here and would be measured as the CLI's.
const { writeFileSync } = require('node:fs');

const file = process.env.BENCH_PEAK_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
