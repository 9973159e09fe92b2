// The baseline of `node bench/run.mjs scale`: csv-parse alone reading a target list, with a Set of
// its addresses (what de-duplication needs at the least), in a process of its own (its peak RSS).
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

const seen = new Set();
let rows = 0;
for await (const record of createReadStream(process.argv[2]).pipe(parse({ columns: true, bom: true }))) {
  rows++;
  seen.add(String(record.email).trim().toLowerCase());
}
process.stdout.write(JSON.stringify({ rows, unique: seen.size }) + '\n');
