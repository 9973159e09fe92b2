// Benchmark, authoring: what typing in a content file costs, and what the extension costs to load.
// - Validation after an edit of the content (the editor's unsaved text, as the extension passes it:
//   `edited`), for the HTML example beside the MJML example (compiled by mjml at each edit), and the
//   live preview's build of the MJML one (its blocks marked with their source lines), same run.
// - Loading the extension bundle (dist/extension.js, the part of activate() that grows with what the
//   bundle pulls in at start) beside loading the bare core bundle (dist/core.js), each in a fresh
//   Node process, and whether a content engine (mjml, juice, markdown-it) was loaded by it: none
//   must be, they load when a mailing first needs them. activate() itself in a real VS Code is
//   printed by the VS Code suite ("activate() took N ms").
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { alternate, median, ms, table } from './lib.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { buildConfirmModel, FileCache } = require(path.join(root, 'dist/core.js'));

export async function benchAuthoring({ rounds = 30 } = {}) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mailings-bench-authoring-'));
  try {
    await fs.cp(path.join(root, 'examples'), path.join(dir, 'examples'), { recursive: true });
    const cases = [
      ['HTML (newsletter)', 'examples/newsletter/newsletter.mailing.yaml', 'examples/newsletter/newsletter.html', 'Hi {{firstName}},'],
      ['MJML (announcement)', 'examples/mjml/announcement.mailing.yaml', 'examples/mjml/announcement.mjml', 'Dear {{firstName}},'],
    ];
    const fns = {};
    const stateRoot = path.join(dir, '.mailings');
    for (const [label, mailing, content, anchor] of cases) {
      const file = path.join(dir, mailing);
      const contentFile = path.join(dir, content);
      const text = await fs.readFile(file, 'utf8');
      const original = await fs.readFile(contentFile, 'utf8');
      if (!original.includes(anchor)) throw new Error(`${content} no longer holds "${anchor}": update bench/authoring.mjs`);
      let edits = 0;
      // Each call: a new keystroke's text of the content file, unsaved.
      const edited = () => new Map([[contentFile, original.replace(anchor, `${anchor} ${++edits}`)]]);
      const cache = new FileCache();
      fns[label] = () => buildConfirmModel(file, { text, cache, stateRoot, edited: edited() });
      if (label.startsWith('MJML')) {
        const previewCache = new FileCache();
        fns[`${label}, preview build`] = () => buildConfirmModel(file, { text, cache: previewCache, stateRoot, edited: edited(), sourceLines: true });
      }
    }
    const r = await alternate(fns, { rounds });
    const html = r[cases[0][0]];
    console.log('\nAuthoring: validation after an edit of the content file (median; the unsaved text, a new version each call; same run)');
    console.log(table([['case', 'confirm model', 'ratio to HTML'], ...Object.keys(fns).map((label) => [label, ms(r[label]), (r[label] / html).toFixed(1) + '×'])]));

    const load = async (bundle) => {
      const script = `
        const Module = require('node:module');
        const resolve = Module._resolveFilename;
        // The bundle's require('vscode') is answered by a stand-in: only the module's own load is timed.
        const stub = new Proxy(function () {}, { get: (t, k) => (k === 'prototype' ? {} : stub), getPrototypeOf: () => stub, apply: () => stub, construct: () => ({}) });
        Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
        require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: stub };
        const t = process.hrtime.bigint();
        require(${JSON.stringify(bundle)});
        const elapsed = Number(process.hrtime.bigint() - t) / 1e6;
        const engines = Object.keys(require.cache).filter((f) => /[\\\\/](mjml|juice|markdown-it)\\.js$/.test(f)).map((f) => require('node:path').basename(f));
        process.stdout.write(JSON.stringify({ elapsed, engines }));`;
      const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: root });
      return JSON.parse(stdout);
    };
    const times = { extension: [], core: [] };
    let engines = [];
    for (let i = 0; i < Math.max(5, Math.round(rounds / 3)); i++) {
      const ext = await load(path.join(root, 'dist/extension.js'));
      const core = await load(path.join(root, 'dist/core.js'));
      times.extension.push(ext.elapsed);
      times.core.push(core.elapsed);
      engines = [...new Set([...engines, ...ext.engines])];
    }
    const extension = median(times.extension);
    const core = median(times.core);
    console.log('\nActivation: loading the extension bundle (median of fresh Node processes, same run)');
    console.log(
      table([
        ['bundle', 'load', 'ratio to the core bundle', 'content engines loaded'],
        ['dist/core.js', ms(core), '1.0×', ''],
        ['dist/extension.js', ms(extension), (extension / core).toFixed(1) + '×', engines.join(', ') || 'none'],
      ]),
    );
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchAuthoring();
}
