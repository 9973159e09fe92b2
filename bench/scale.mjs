// `node bench/run.mjs scale` (issue 16): the CLI as whole processes at 1,000, 100,000 and 1,000,000
// generated recipients (BENCH_SCALE=1000,100000 picks the sizes): `validate`, `send --now` to a local
// smtp-sink, and `status --json` of the completed mailing, and in this process what re-validating
// after an edit of the subject costs (the extension host's case: one file cache kept), each with its wall time and peak RSS
// (bench/peakRss.cjs, the CLI's own node flags). Baselines measured in the same run: csv-parse alone
// with a Set of the addresses on the same file (for validate), and status of the 1,000 mailing (status
// should not grow with the list: it reads the journal's checkpoint plus its tail), and status with the
// checkpoint removed (the whole journal folded, as before checkpoints: from its archive once the
// completed run compacted it), and the journal's and archive's sizes. Then whole-process
// throughput for 10,000 small personalised messages (BENCH_WHOLE), in alternating rounds: the CLI's
// `send --now` from start to exit (start-up, load, confirm, snapshot, send), plain pooled nodemailer
// as a whole process (bench/nodemailerBaseline.mjs: csv-parse, merge, sendMail; the baseline), and
// postfix's smtp-source sending a message of the same size (the ceiling).
import { spawn } from 'node:child_process';
import { createWriteStream, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { benchMailingYaml, median, table } from './lib.mjs';
import { findTool, sourceSend, startSink } from './send.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The bundled core, as the extension host runs it (for what an edit costs there).
const { buildConfirmModel, FileCache } = createRequire(import.meta.url)(path.join(root, 'dist/core.js'));
const CLI = path.join(root, 'dist/cli.js');
const CLI_NODE_FLAGS = (await fs.readFile(CLI, 'utf8')).split('\n', 1)[0].replace(/^#!\/usr\/bin\/env (-S )?node\s*/, '').split(/\s+/).filter(Boolean);
const CONNECTIONS = 5;
const STATUS_ROUNDS = 5;

/** Runs `node <flags> -r peakRss <script> <args>`: its wall time, peak RSS and output. */
async function measure(script, args, { cwd, nodeFlags = CLI_NODE_FLAGS } = {}) {
  const rssFile = path.join(os.tmpdir(), `mailings-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const t0 = performance.now();
  const child = spawn(process.execPath, [...nodeFlags, '-r', path.join(root, 'bench/peakRss.cjs'), script, ...args], { cwd, env: { ...process.env, BENCH_PEAK_RSS_FILE: rssFile}, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  const ms = performance.now() - t0;
  const rssKb = Number(await fs.readFile(rssFile, 'utf8').catch(() => 'NaN'));
  await fs.rm(rssFile, { force: true });
  return { ms, rssMb: rssKb / 1024, code, stdout, stderr };
}

async function writeList(file, count) {
  const out = createWriteStream(file);
  const write = (text) => (out.write(text) ? undefined : new Promise((resolve) => out.once('drain', resolve)));
  await write('email,firstName,lastName,city\n');
  let block = '';
  for (let i = 0; i < count; i++) {
    block += `reader${i}@example.com,Reader${i},Last${i},Amsterdam\n`;
    if (block.length > 1 << 16) {
      await write(block);
      block = '';
    }
  }
  await write(block);
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
}

/** A small personalised mailing with `count` recipients in a CSV. */
async function writeMailing(dir, count) {
  const folder = path.join(dir, `scale-${count}`);
  await fs.mkdir(folder, { recursive: true });
  await fs.writeFile(path.join(folder, 'hello.html'), '<p>Hello {{firstName}},</p><p>Our November list is out.</p><p><a href="https://northwind.example/list">Read it</a></p>\n');
  await fs.writeFile(path.join(folder, 'hello.txt'), 'Hello {{firstName}},\n\nOur November list is out: https://northwind.example/list\n');
  await writeList(path.join(folder, 'readers.csv'), count);
  const file = path.join(folder, 'scale.mailing.yaml');
  await fs.writeFile(
    file,
    benchMailingYaml({ name: `Scale ${count}`, from: 'Northwind Books <news@northwind.example>', subject: '{{firstName}}, your November list', html: 'hello.html', text: 'hello.txt', unsubscribe: 'https://northwind.example/unsubscribe?e={{email}}', connections: CONNECTIONS }),
  );
  return { folder, file, csv: path.join(folder, 'readers.csv') };
}

function seconds(ms) {
  return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export async function benchScale({ sizes = (process.env.BENCH_SCALE ?? '1000,100000,1000000').split(',').map(Number), whole = Number(process.env.BENCH_WHOLE ?? 10_000), wholeRounds = Number(process.env.BENCH_WHOLE_ROUNDS ?? 3) } = {}) {
  const sinkBinary = findTool('smtp-sink');
  if (!sinkBinary) {
    console.log('\nScale: skipped: smtp-sink not found (Debian package postfix; see ../shared/design/testing.md)');
    return;
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mailings-bench-scale-'));
  const sink = await startSink(sinkBinary);
  const smtp = `smtp://127.0.0.1:${sink.port}?security=none`;
  const rows = [];
  try {
    if (!sizes.includes(1000)) sizes = [1000, ...sizes];
    for (const count of sizes.sort((a, b) => a - b)) {
      const { folder, file, csv } = await writeMailing(dir, count);
      const baseline = await measure(path.join(root, 'bench/csvParseBaseline.mjs'), [csv], { cwd: folder, nodeFlags: [] });
      const validate = await measure(CLI, ['validate', file], { cwd: folder });
      const editing = await revalidation(file);
      // The only error of a fresh mailing is test-not-sent: a real test send clears it.
      const tested = await measure(CLI, ['test', file, '--smtp', smtp], { cwd: folder });
      if (tested.code !== 0) throw new Error(`mailings test failed: ${tested.stdout}${tested.stderr}`);
      const before = sink.received;
      const send = await measure(CLI, ['send', file, '--now', '--smtp', smtp], { cwd: folder });
      if (send.code !== 0) throw new Error(`mailings send failed (${send.code}): ${send.stdout}${send.stderr}`);
      const received = (await sink.reach(before + count, 30_000)) - before;
      const statuses = [];
      let statusRss = 0;
      for (let i = 0; i < STATUS_ROUNDS; i++) {
        const status = await measure(CLI, ['status', file, '--json'], { cwd: folder });
        const json = JSON.parse(status.stdout);
        if (json.status !== 'completed' || json.sent !== count) throw new Error(`status of ${count}: ${status.stdout}`);
        statuses.push(status.ms);
        statusRss = Math.max(statusRss, status.rssMb);
      }
      const stateBytes = await folderBytes(path.join(folder, '.mailings'));
      const journal = await journalBytes(path.join(folder, '.mailings/mailings'));
      // What status cost before checkpoints: the whole journal folded (this reader then writes a checkpoint).
      for (const id of await fs.readdir(path.join(folder, '.mailings/mailings'))) await fs.rm(path.join(folder, '.mailings/mailings', id, 'journal.checkpoint'), { force: true });
      const unchecked = await measure(CLI, ['status', file, '--json'], { cwd: folder });
      rows.push({ count, baseline, validate, editing, send, received, status: median(statuses), statusRss, unchecked, stateBytes, journal });
      await fs.rm(folder, { recursive: true, force: true });
    }
    if (whole > 0) await benchWholeProcess(dir, sink, whole, wholeRounds);
  } finally {
    await sink.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
  const small = rows.find((r) => r.count === 1000);
  console.log(`\nScale: the CLI as whole processes (node ${CLI_NODE_FLAGS.join(' ')}), small personalised messages, ${CONNECTIONS} connections to smtp-sink; status: median of ${STATUS_ROUNDS}`);
  console.log(
    table([
      ['recipients', 'validate', 'csv-parse + Set', 'validate ÷ csv-parse', 'validate RSS', 'csv-parse RSS', 'after an edit', 'longest block', 'send --now', 'messages/s', 'send RSS', 'received', 'status --json', 'status ÷ 1k', 'status RSS', 'status, no checkpoint', 'journal + archive', 'state on disk'],
      ...rows.map((r) => [
        r.count.toLocaleString('en'),
        seconds(r.validate.ms),
        seconds(r.baseline.ms),
        `${(r.validate.ms / r.baseline.ms).toFixed(2)}×`,
        `${r.validate.rssMb.toFixed(0)} MB`,
        `${r.baseline.rssMb.toFixed(0)} MB`,
        `${seconds(r.editing.again)} (${((r.editing.again / r.editing.first) * 100).toFixed(1)}%)`,
        seconds(r.editing.block),
        seconds(r.send.ms),
        Math.round(r.count / (r.send.ms / 1000)).toLocaleString('en'),
        `${r.send.rssMb.toFixed(0)} MB`,
        r.received.toLocaleString('en'),
        seconds(r.status),
        `${(r.status / small.status).toFixed(2)}×`,
        `${r.statusRss.toFixed(0)} MB`,
        seconds(r.unchecked.ms),
        `${kb(r.journal.journal)} + ${kb(r.journal.archive)}`,
        `${(r.stateBytes / 1e6).toFixed(1)} MB`,
      ]),
    ]),
  );
}

/**
 * What typing costs the extension host: the confirm model built in this process with one file cache
 * (as the extension keeps one), first, then again after each of 5 edits of the subject — the median,
 * and the longest the event loop was held (a 1 ms interval's largest gap) over the edits.
 */
async function revalidation(file) {
  const cache = new FileCache();
  const text = await fs.readFile(file, 'utf8');
  const t0 = performance.now();
  await buildConfirmModel(file, { cache, text });
  const first = performance.now() - t0;
  const times = [];
  let last = performance.now();
  let block = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    block = Math.max(block, now - last);
    last = now;
  }, 1);
  for (let i = 1; i <= 5; i++) {
    const t = performance.now();
    await buildConfirmModel(file, { cache, text: text.replace(/^subject: (.*)$/m, `subject: $1 ${'!'.repeat(i)}`) });
    times.push(performance.now() - t);
    await new Promise((resolve) => setImmediate(resolve));
  }
  clearInterval(tick);
  return { first, again: median(times), block };
}

/** The journal's bytes and its archive's (a completed mailing's journal is compacted: state/journalCompaction.ts). */
async function journalBytes(mailingsDir) {
  const sizes = { journal: 0, archive: 0 };
  for (const id of await fs.readdir(mailingsDir)) {
    for (const name of await fs.readdir(path.join(mailingsDir, id))) {
      const { size } = await fs.stat(path.join(mailingsDir, id, name));
      if (name === 'journal.jsonl') sizes.journal += size;
      else if (name.endsWith('.jsonl.gz')) sizes.archive += size;
    }
  }
  return sizes;
}

function kb(bytes) {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}

/** Whole processes sending `count` small personalised messages, alternating rounds; ratios against pooled nodemailer. */
async function benchWholeProcess(dir, sink, count, rounds) {
  const sourceBinary = findTool('smtp-source');
  const { folder, file, csv } = await writeMailing(dir, count);
  const smtp = `smtp://127.0.0.1:${sink.port}?security=none`;
  // A message as large as the CLI's for smtp-source (it sends one file again and again).
  const nodemailer = (await import('nodemailer')).default;
  const sample = await nodemailer.createTransport({ streamTransport: true, buffer: true }).sendMail({
    from: 'Northwind Books <news@northwind.example>',
    to: 'reader1@example.com',
    subject: 'Reader1, your November list',
    html: (await fs.readFile(path.join(folder, 'hello.html'), 'utf8')).replace('{{firstName}}', 'Reader1'),
    text: (await fs.readFile(path.join(folder, 'hello.txt'), 'utf8')).replace('{{firstName}}', 'Reader1'),
    headers: { 'List-Unsubscribe': '<https://northwind.example/unsubscribe?e=reader1%40example.com>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  });
  const messageFile = path.join(folder, 'message.eml');
  await fs.writeFile(messageFile, sample.message.toString('latin1').replace(/\r\n/g, '\n'));
  const samples = { cli: [], nodemailer: [], source: [] };
  const timedSend = async (name, run) => {
    const before = sink.received;
    const t0 = performance.now();
    await run();
    samples[name].push(performance.now() - t0);
    const received = (await sink.reach(before + count, 30_000)) - before;
    if (received !== count) throw new Error(`${name}: the sink received ${received} of ${count}`);
  };
  for (let round = 0; round < rounds; round++) {
    await fs.rm(path.join(folder, '.mailings'), { recursive: true, force: true });
    const tested = await measure(CLI, ['test', file, '--smtp', smtp], { cwd: folder });
    if (tested.code !== 0) throw new Error(`mailings test failed: ${tested.stdout}${tested.stderr}`);
    // The test message reached the sink too: counted before the timed sends begin.
    await sink.reach(sink.received + 1, 2000);
    await timedSend('cli', async () => {
      const send = await measure(CLI, ['send', file, '--now', '--smtp', smtp], { cwd: folder });
      if (send.code !== 0) throw new Error(`mailings send failed: ${send.stdout}${send.stderr}`);
    });
    await timedSend('nodemailer', async () => {
      const run = await measure(path.join(root, 'bench/nodemailerBaseline.mjs'), [csv, String(sink.port), String(CONNECTIONS)], { cwd: folder, nodeFlags: [] });
      if (run.code !== 0) throw new Error(`the nodemailer baseline failed: ${run.stderr}`);
    });
    if (sourceBinary) await timedSend('source', () => sourceSend(sourceBinary, messageFile, count, sink.port));
  }
  await fs.rm(folder, { recursive: true, force: true });
  const base = median(samples.nodemailer);
  const ceiling = sourceBinary ? median(samples.source) : undefined;
  const row = (label, name) => {
    const ms = median(samples[name]);
    return [label, seconds(ms), Math.round(count / (ms / 1000)).toLocaleString('en'), `${(base / ms).toFixed(2)}×`, ceiling ? `${((ceiling / ms) * 100).toFixed(0)}%` : 'n/a'];
  };
  console.log(`\nWhole processes, ${count.toLocaleString('en')} small personalised messages (${sample.message.length} bytes), ${CONNECTIONS} connections to smtp-sink; median of ${rounds} alternating rounds`);
  console.log(
    table([
      ['contender', 'start to exit', 'messages/s', 'vs nodemailer', "share of smtp-source's ceiling"],
      row('pooled nodemailer (csv-parse, merge, sendMail): the baseline', 'nodemailer'),
      row('mailings send --now (the CLI)', 'cli'),
      ...(ceiling ? [row("postfix's smtp-source, the same size (the ceiling)", 'source')] : []),
    ]),
  );
}

async function folderBytes(folder) {
  let total = 0;
  for (const entry of await fs.readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await fs.stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}
