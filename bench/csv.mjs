// `node bench/run.mjs csv`: reading target lists with the bundled core (dist/core.js): 100,000 rows
// (plain, CRLF, every field quoted), and one very long line — 5, 10 and 20 MB read whole (the record
// limit raised), then 20 and 200 MB at the default 1 MB limit (skipped, reported at its row). The
// long-line times should grow linearly: 20 MB about four times 5 MB.
import { promises as fs, openSync, writeSync, closeSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { alternate, median, ms, table } from './lib.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { readCsvFile, CSV_MAX_RECORD_BYTES, CSV_MAX_COLUMNS } = require(path.join(root, 'dist/core.js'));

function writeLongLine(file, megabytes) {
  const fd = openSync(file, 'w');
  writeSync(fd, 'email,note\nann@example.com,');
  const block = Buffer.alloc(1 << 20, 'x');
  for (let i = 0; i < megabytes; i++) writeSync(fd, block);
  writeSync(fd, '\nbob@example.com,b\n');
  closeSync(fd);
}

async function timed(fn, rounds = 3) {
  const samples = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

export async function benchCsv() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mailings-bench-csv-'));
  try {
    const rows = ['email,firstName,lastName,city'];
    for (let i = 0; i < 100_000; i++) rows.push(`person${i}@example.com,First${i},Last${i},Amsterdam`);
    const files = {
      plain: path.join(dir, 'plain.csv'),
      crlf: path.join(dir, 'crlf.csv'),
      quoted: path.join(dir, 'quoted.csv'),
    };
    await fs.writeFile(files.plain, rows.join('\n') + '\n');
    await fs.writeFile(files.crlf, rows.join('\r\n') + '\r\n');
    await fs.writeFile(files.quoted, rows.map((row) => row.split(',').map((value) => `"${value}"`).join(',')).join('\n') + '\n');
    const hundredK = await alternate(
      {
        plain: () => readCsvFile(files.plain),
        crlf: () => readCsvFile(files.crlf),
        quoted: () => readCsvFile(files.quoted),
      },
      { rounds: 10, warmup: 2 },
    );
    console.log('\ncsv: 100,000 rows (median of 10, alternating)');
    console.log(table([['file', 'read'], ...Object.entries(hundredK).map(([name, value]) => [name, ms(value)])]));

    const raised = { maxRecordBytes: 64 << 20, maxColumns: CSV_MAX_COLUMNS };
    const lines = [];
    for (const megabytes of [5, 10, 20, 200]) {
      const file = path.join(dir, `line-${megabytes}.csv`);
      writeLongLine(file, megabytes);
      if (megabytes <= 20) lines.push([`${megabytes} MB line, read whole`, ms(await timed(() => readCsvFile(file, raised)))]);
      if (megabytes >= 20) lines.push([`${megabytes} MB line, over the ${CSV_MAX_RECORD_BYTES >> 20} MB limit`, ms(await timed(() => readCsvFile(file), megabytes > 20 ? 1 : 3))]);
      await fs.rm(file);
    }
    console.log('\ncsv: one long line (median of 3; the 200 MB file once)');
    console.log(table([['input', 'read'], ...lines]));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
