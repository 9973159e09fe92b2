// Benchmark, part 2: sending (issues 3 and 7). Against a local smtp-sink (Debian's postfix package),
// in one run and in alternating rounds so that drift (other load on this shared 2-core machine) hits
// every contender alike:
//   (a)  plain pooled nodemailer composing each personalised message, no journal: the baseline;
//   (b)  our engine through the actions API (sendNow), journal on, its default renderer (the template
//        renderer: the MIME structure composed once per mailing);
//   (b') the same engine with nodemailerRenderer (nodemailer composing each message, chosen through
//        RunOptions.renderer): what the template renderer gains;
//   (b") the engine with its SMTP sessions on a worker thread (RunOptions via SendContext.smtpThread):
//        (b) keeps them on the engine's thread;
//   (c)  postfix's smtp-source with a message of the same size and as many sessions: the ceiling.
// The same ~5 KB HTML + text newsletter (the example mailing's content), 5 connections, no rate cap.
// Then the renderers alone, and a 100,000-recipient send in a child process for its peak RSS and
// CPU cost per message. Figures are ratios against the baseline measured in the same run.
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { alternate, benchMailingYaml, median, table } from './lib.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The bundled core (dist/core.js), as the CLI and the extension carry it.
const { buildConfirmModel, toResolvedMailing, sendNow, sendTest, FileCache, prepareMailing, nodemailerRenderer, templateRenderer } = require(path.join(root, 'dist/core.js'));
// The node flags of the CLI (the headless sender), from its shebang: `#!/usr/bin/env -S node <flags>`.
const CLI_NODE_FLAGS = (await fs.readFile(path.join(root, 'dist/cli.js'), 'utf8')).split('\n', 1)[0].replace(/^#!\/usr\/bin\/env (-S )?node\s*/, '').split(/\s+/).filter(Boolean);
const nodemailer = require('nodemailer');

const CONNECTIONS = 5;
const FROM = 'Northwind Books <news@northwind.example>';
const EXAMPLE = path.join(root, 'examples/newsletter');
const SUBJECT = '{{firstName}}, your November reading list';
const UNSUBSCRIBE = 'https://northwind.example/unsubscribe?e={{email}}';

export function findTool(name) {
  return ['/usr/sbin', '/usr/lib/postfix/sbin', '/usr/bin'].map((d) => path.join(d, name)).find((p) => existsSync(p));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function connects(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** smtp-sink on a free port; counts the messages it received (its -c counters on stdout). */
export async function startSink(binary) {
  const port = await freePort();
  // As root, smtp-sink must be told whose privileges to switch to (-u).
  const args = ['-c', ...(process.getuid?.() === 0 ? ['-u', 'root'] : []), `127.0.0.1:${port}`, '1000'];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let received = 0;
  let stderr = '';
  const waiting = new Set();
  child.stdout.on('data', (data) => {
    for (const match of data.toString().matchAll(/mesg=(\d+)/g)) received = Number(match[1]);
    for (const wake of waiting) wake();
  });
  child.stderr.on('data', (data) => (stderr += data));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (let attempt = 0; !(await connects(port)); attempt++) {
    if (child.exitCode !== null || attempt > 200) throw new Error(`smtp-sink did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return {
    port,
    get received() {
      return received;
    },
    /** Resolves when the count reaches `count` (its counter follows the last reply by a moment). */
    reach(count, timeoutMs = 5000) {
      if (received >= count) return Promise.resolve(received);
      return new Promise((resolve) => {
        const done = () => {
          if (received < count && timer) return;
          clearTimeout(timer);
          waiting.delete(done);
          resolve(received);
        };
        const timer = setTimeout(() => {
          timer.unref();
          waiting.delete(done);
          resolve(received);
        }, timeoutMs);
        waiting.add(done);
      });
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function recipientsOf(count) {
  const cities = ['Amsterdam', 'Utrecht', 'Zürich', 'Haarlem', 'Gent', 'Köln', 'Delft'];
  return Array.from({ length: count }, (_, i) => ({
    email: `reader${i}@example.com`,
    firstName: i % 5 === 0 ? `Zoë${i}` : `Reader${i}`,
    lastName: `Last${i}`,
    city: cities[i % cities.length],
  }));
}

/** A mailing file like the example newsletter, its content copied, with `count` recipients in a CSV. */
async function writeMailing(dir, count) {
  const folder = path.join(dir, `mailing-${count}`);
  await fs.mkdir(folder, { recursive: true });
  for (const file of ['newsletter.html', 'newsletter.txt']) await fs.copyFile(path.join(EXAMPLE, file), path.join(folder, file));
  const people = recipientsOf(count);
  const rows = ['email,firstName,lastName,city', ...people.map((p) => `${p.email},${p.firstName},${p.lastName},${p.city}`)];
  await fs.writeFile(path.join(folder, 'readers.csv'), rows.join('\n') + '\n');
  const file = path.join(folder, 'bench.mailing.yaml');
  await fs.writeFile(
    file,
    benchMailingYaml({ name: `Bench newsletter ${count}`, from: FROM, replyTo: 'Northwind Books Service <service@northwind.example>', subject: SUBJECT, html: 'newsletter.html', text: 'newsletter.txt', unsubscribe: UNSUBSCRIBE, mailto: 'unsubscribe@northwind.example', connections: CONNECTIONS }),
  );
  return { file, count, people };
}

/** A fresh state root with the test record written (by a real test send), and the clean confirm model. */
async function confirmable(dir, mailing, port, cache, smtpThread = 'main') {
  const stateRoot = await fs.mkdtemp(path.join(dir, 'state-'));
  const ctx = { stateRoot, smtp: { host: '127.0.0.1', port, security: 'none' }, owner: 'bench', smtpThread };
  await sendTest(await buildConfirmModel(mailing.file, { stateRoot, smtpConfigured: true, cache }), ctx);
  const model = await buildConfirmModel(mailing.file, { stateRoot, smtpConfigured: true, cache });
  const errors = model.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`the bench mailing has errors: ${errors.map((d) => `${d.code}: ${d.message}`).join('; ')}`);
  return { ctx, model };
}

/** (b)/(b'): Send now through the actions API; the renderer rides on RunOptions (see the report). */
async function engineSend(model, ctx, renderer) {
  const statistics = await sendNow(model, ctx, renderer ? { renderer } : {});
  if (statistics.status !== 'completed' || statistics.sent !== model.mailing.targetList.recipients.length) {
    throw new Error(`the engine did not complete: ${JSON.stringify(statistics)}`);
  }
}

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const fill = (template, fields, escape = (v) => v) => template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name) => escape(fields[name] ?? ''));

/** (a): what a user of nodemailer writes: a pooled transport, each message merged and composed by sendMail. */
async function baselineSend(people, content, port) {
  const transport = nodemailer.createTransport({ pool: true, maxConnections: CONNECTIONS, host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  let next = 0;
  const worker = async () => {
    while (next < people.length) {
      const person = people[next++];
      await transport.sendMail({
        from: FROM,
        replyTo: 'Northwind Books Service <service@northwind.example>',
        to: person.email,
        subject: fill(SUBJECT, person),
        html: fill(content.html, person, (v) => v.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c])),
        text: fill(content.text, person),
        headers: {
          'List-Unsubscribe': `<${fill(UNSUBSCRIBE, person, encodeURIComponent)}>, <mailto:unsubscribe@northwind.example?subject=unsubscribe>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
      });
    }
  };
  // Two messages per connection in hand: the pool always has the next one ready.
  await Promise.all(Array.from({ length: CONNECTIONS * 2 }, worker));
  transport.close();
}

/** (c): smtp-source, `sessions` connections kept open (-d), the same message `count` times. */
export function sourceSend(binary, messageFile, count, port) {
  return new Promise((resolve, reject) => {
    const args = ['-d', '-s', String(CONNECTIONS), '-m', String(count), '-F', messageFile, '-f', 'news@northwind.example', '-t', 'reader@example.com', `127.0.0.1:${port}`];
    const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`smtp-source exited ${code}: ${stderr}`))));
  });
}

/** Runs `send` once, timed, with its CPU and what the sink received. */
async function measured(sink, expected, send) {
  const before = sink.received;
  const cpu = process.cpuUsage();
  const start = performance.now();
  await send();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const received = (await sink.reach(before + expected)) - before;
  if (received !== expected) throw new Error(`the sink received ${received} messages, expected ${expected}`);
  return { ms, cpuUs: used.user + used.system, received };
}

/** The child process of the 100,000-recipient send: peak RSS and CPU of one whole Send now. */
async function child(options) {
  const cache = new FileCache();
  const { ctx, model } = await confirmable(options.dir, { file: options.file }, options.port, cache, options.smtpThread);
  const rssAfterModel = process.memoryUsage().rss;
  const cpu = process.cpuUsage();
  const start = performance.now();
  await engineSend(model, ctx, undefined);
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  process.stdout.write(
    JSON.stringify({ ms, cpuUs: used.user + used.system, maxRssKb: process.resourceUsage().maxRSS, rssAfterModel, sent: model.mailing.targetList.recipients.length }) + '\n',
  );
}

function runChild(options, nodeFlags) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...nodeFlags, fileURLToPath(import.meta.url), '--child', JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.once('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`the 100k child exited ${code}`))));
  });
}

/** The mailing as it would be sent, whatever the test and transport steps still say (composing only). */
async function resolvedMailing(file, cache) {
  const model = await buildConfirmModel(file, { cache, smtpConfigured: true });
  return toResolvedMailing({ ...model, diagnostics: model.diagnostics.filter((d) => d.step !== 'test'), hasErrors: false });
}

const rate = (count, ms) => count / (ms / 1000);
const fmtRate = (value) => `${Math.round(value).toLocaleString('en')}/s`;
const ratio = (value) => `${value.toFixed(2)}×`;

export async function benchSend({ rounds1k = Number(process.env.BENCH_ROUNDS_1K ?? 3), rounds10k = Number(process.env.BENCH_ROUNDS_10K ?? 2), big = Number(process.env.BENCH_BIG ?? 100_000) } = {}) {
  const sinkBinary = findTool('smtp-sink');
  const sourceBinary = findTool('smtp-source');
  if (!sinkBinary || !sourceBinary) {
    console.log('\nSending: skipped: smtp-sink/smtp-source not found (Debian package postfix; see ../shared/design/testing.md)');
    return;
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mailings-bench-send-'));
  const sink = await startSink(sinkBinary);
  try {
    const content = {
      html: await fs.readFile(path.join(EXAMPLE, 'newsletter.html'), 'utf8'),
      text: await fs.readFile(path.join(EXAMPLE, 'newsletter.txt'), 'utf8'),
    };
    const cache = new FileCache();
    const sizes = [
      [1_000, rounds1k],
      [10_000, rounds10k],
    ].filter(([, rounds]) => rounds > 0);
    const rows = [];
    const figures = {};
    let messageBytes = 0;
    for (const [count, rounds] of sizes) {
      const mailing = await writeMailing(dir, count);
      // The ceiling's message: this mailing's first message as nodemailer composes it (LF lines:
      // smtp-source ends each line with CRLF itself).
      const sample = await nodemailerRenderer(await prepareMailing(await resolvedMailing(mailing.file, cache), { messageIdToken: 'bench' })).render(
        { email: mailing.people[0].email, fields: mailing.people[0] },
        0,
      );
      messageBytes = sample.raw.length;
      const messageFile = path.join(dir, `message-${count}.eml`);
      await fs.writeFile(messageFile, sample.raw.toString('latin1').replace(/\r\n/g, '\n'));

      const samples = { a: [], b: [], "b'": [], 'b"': [], c: [] };
      const runOnce = {
        a: () => measured(sink, count, () => baselineSend(mailing.people, content, sink.port)),
        b: async () => {
          const { ctx, model } = await confirmable(dir, mailing, sink.port, cache);
          const result = await measured(sink, count, () => engineSend(model, ctx, undefined));
          await fs.rm(ctx.stateRoot, { recursive: true, force: true });
          return result;
        },
        "b'": async () => {
          const { ctx, model } = await confirmable(dir, mailing, sink.port, cache);
          const result = await measured(sink, count, () => engineSend(model, ctx, nodemailerRenderer));
          await fs.rm(ctx.stateRoot, { recursive: true, force: true });
          return result;
        },
        'b"': async () => {
          const { ctx, model } = await confirmable(dir, mailing, sink.port, cache, 'worker');
          const result = await measured(sink, count, () => engineSend(model, ctx, undefined));
          await fs.rm(ctx.stateRoot, { recursive: true, force: true });
          return result;
        },
        c: () => measured(sink, count, () => sourceSend(sourceBinary, messageFile, count, sink.port)),
      };
      // A short warm-up of each (JIT, connections), then alternating rounds.
      const warm = await writeMailing(path.join(dir, 'warm'), 200);
      await baselineSend(warm.people, content, sink.port);
      for (const [renderer, thread] of [
        [undefined, 'main'],
        [nodemailerRenderer, 'main'],
        [undefined, 'worker'],
      ]) {
        const { ctx, model } = await confirmable(dir, warm, sink.port, cache, thread);
        await engineSend(model, ctx, renderer);
      }
      for (let round = 0; round < rounds; round++) {
        for (const name of Object.keys(runOnce)) samples[name].push(await runOnce[name]());
      }
      const summary = Object.fromEntries(
        Object.entries(samples).map(([name, list]) => [
          name,
          { rate: median(list.map((s) => rate(count, s.ms))), cpuUs: median(list.map((s) => s.cpuUs / count)), received: list.reduce((n, s) => n + s.received, 0) },
        ]),
      );
      figures[count] = summary;
      const label = {
        a: '(a) nodemailer pool, no journal',
        b: '(b) engine, journal on',
        "b'": "(b') engine + nodemailerRenderer",
        'b"': '(b") engine, SMTP on a worker thread',
        c: '(c) smtp-source (ceiling)',
      };
      for (const [name, s] of Object.entries(summary)) {
        rows.push([
          count.toLocaleString('en'),
          label[name],
          fmtRate(s.rate),
          ratio(s.rate / summary.a.rate),
          name === 'c' ? '–' : `${Math.round(s.cpuUs)} µs`,
          `${s.received.toLocaleString('en')}/${(count * rounds).toLocaleString('en')}`,
        ]);
      }
    }

    // The renderers alone: composing only, the same prepared mailing and recipients.
    const small = await writeMailing(path.join(dir, 'render'), 2_000);
    const resolved = await resolvedMailing(small.file, cache);
    const prepared = await prepareMailing(resolved, { messageIdToken: 'bench' });
    const renderAll = (factory) => async () => {
      const renderer = factory(prepared);
      for (let i = 0; i < resolved.targetList.recipients.length; i++) await renderer.render(resolved.targetList.recipients[i], i);
    };
    const renderCpu = {};
    const timedRender = (name, factory) => async () => {
      const cpu = process.cpuUsage();
      await renderAll(factory)();
      const used = process.cpuUsage(cpu);
      (renderCpu[name] ??= []).push((used.user + used.system) / resolved.targetList.recipients.length);
    };
    const renderMs = await alternate({ nodemailer: timedRender('nodemailer', nodemailerRenderer), template: timedRender('template', templateRenderer) }, { rounds: 5, warmup: 1 });
    const renderN = resolved.targetList.recipients.length;

    // 1,000, 10,000 and 100,000 recipients, each send in a child process of its own: peak RSS (the
    // confirm model included, as the CLI holds it) and CPU per message (all threads), to show how they grow.
    const bigRows = [];
    for (const count of [1_000, 10_000, big]) {
      const bigMailing = await writeMailing(path.join(dir, 'child'), count);
      // Node as the CLI runs it (its shebang's flags), both threads; at the largest size also node's defaults.
      const runs = [
        ['main', CLI_NODE_FLAGS],
        ['worker', CLI_NODE_FLAGS],
        ...(count === big ? [['main', []]] : []),
      ];
      for (const [smtpThread, nodeFlags] of runs) {
        const before = sink.received;
        const result = await runChild({ dir, file: bigMailing.file, port: sink.port, smtpThread }, nodeFlags);
        const received = (await sink.reach(before + count + 1)) - before - 1; // +1: the test message
        bigRows.push([
          count.toLocaleString('en'),
          (smtpThread === 'main' ? '(b) engine, journal on' : '(b") engine, SMTP on a worker thread') + (nodeFlags.length ? '' : ", node's default flags"),
          fmtRate(rate(result.sent, result.ms)),
          `${Math.round(result.cpuUs / result.sent)} µs`,
          `${(result.maxRssKb / 1024).toFixed(0)} MB`,
          `${(result.rssAfterModel / 1024 / 1024).toFixed(0)} MB`,
          `${received.toLocaleString('en')}/${count.toLocaleString('en')}`,
        ]);
      }
    }

    console.log(`\nSending to smtp-sink on 127.0.0.1 (${CONNECTIONS} connections, no rate cap; message ${messageBytes.toLocaleString('en')} bytes; median of alternating rounds)`);
    console.log(table([['recipients', 'contender', 'messages/s', 'vs (a)', 'CPU/msg', 'sink received'], ...rows]));
    for (const count of Object.keys(figures)) {
      const f = figures[count];
      console.log(
        `${Number(count).toLocaleString('en')}: b/a ${ratio(f.b.rate / f.a.rate)}  b/c ${ratio(f.b.rate / f.c.rate)}  b'/a ${ratio(f["b'"].rate / f.a.rate)}  b"/a ${ratio(f['b"'].rate / f.a.rate)}  b"/c ${ratio(f['b"'].rate / f.c.rate)}` +
          `  CPU/msg a ${Math.round(f.a.cpuUs)} µs, b ${Math.round(f.b.cpuUs)} µs (${ratio(f.b.cpuUs / f.a.cpuUs)}), b' ${Math.round(f["b'"].cpuUs)} µs (${ratio(f["b'"].cpuUs / f.a.cpuUs)})`,
      );
    }
    console.log(`\nRendering only (${renderN.toLocaleString('en')} messages a round, median of 5 alternating rounds)`);
    console.log(
      table([
        ['renderer', 'messages/s', 'CPU/msg', 'vs nodemailer'],
        ['nodemailerRenderer', fmtRate(rate(renderN, renderMs.nodemailer)), `${Math.round(median(renderCpu.nodemailer))} µs`, '1.00×'],
        ['templateRenderer', fmtRate(rate(renderN, renderMs.template)), `${Math.round(median(renderCpu.template))} µs`, ratio(renderMs.nodemailer / renderMs.template)],
      ]),
    );
    console.log(`\nSend now in a child process of its own, node ${CLI_NODE_FLAGS.join(' ') || '(no flags)'} as the CLI runs it (one run each; peak RSS includes the confirm model the CLI holds)`);
    console.log(table([['recipients', 'engine', 'messages/s', 'CPU/msg', 'peak RSS', 'RSS after confirm model', 'sink received'], ...bigRows]));
  } finally {
    await sink.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === '--child') await child(JSON.parse(process.argv[3]));
  else await benchSend();
}
