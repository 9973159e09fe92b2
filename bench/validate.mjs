// Benchmark, part 1: how fast the confirm model is built, beside yaml-language-server's doValidation
// (what a user would otherwise reach for) on the same files with the same schema, in the same run.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { alternate, ms, table } from './lib.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The bundled core (dist/core.js), built exactly as the extension and CLI bundles carry it.
const { buildConfirmModel, FileCache } = require(path.join(root, 'dist/core.js'));
// MAILINGS_BENCH_BASELINE=<checkout>: that checkout's bundled core (its dist/core.js, built there)
// is measured beside this one on the same files in the same run, alternating — how a change to the
// core is judged ("within 10% of before": the ratio column).
const baselineRoot = process.env.MAILINGS_BENCH_BASELINE;
const baseline = baselineRoot ? require(path.join(path.resolve(baselineRoot), 'dist/core.js')) : undefined;
const { getLanguageService } = require('yaml-language-server/lib/umd/languageservice/yamlLanguageService');
const { TextDocument } = require('vscode-languageserver-textdocument');

const schemaPath = path.join(root, 'schemas/mailing.schema.json');
const schemaText = await fs.readFile(schemaPath, 'utf8');
const schemaUri = pathToFileURL(schemaPath).href;

function yamlLanguageService() {
  const service = getLanguageService({
    schemaRequestService: async (uri) => {
      if (uri === schemaUri) return schemaText;
      throw new Error(`unexpected schema request ${uri}`);
    },
    workspaceContext: { resolveRelativePath: (rel, resource) => new URL(rel, resource).href },
  });
  service.configure({ validate: true, schemas: [{ uri: schemaUri, fileMatch: ['*.mailing.yaml'] }] });
  return service;
}

async function generateMailings(dir) {
  const inline = path.join(dir, 'inline10k.mailing.yaml');
  const lines = [
    'version: 1',
    'name: Ten thousand inline',
    'from: Acme News <news@acme.example>',
    'subject: "Hello {{firstName}}"',
    'content:',
    '  html: "<p>Hello {{firstName}} from {{city}}</p>"',
    '  text: "Hello {{firstName}} from {{city}}"',
    'unsubscribe:',
    '  url: https://acme.example/u?e={{email}}',
    'test:',
    '  recipients: [me@acme.example]',
    'targetList:',
    '  include:',
  ];
  for (let i = 0; i < 10_000; i++) lines.push(`    - { email: person${i}@example.com, firstName: Person${i}, city: City${i % 50} }`);
  await fs.writeFile(inline, lines.join('\n') + '\n');

  const csv = path.join(dir, 'customers100k.csv');
  const rows = ['email,firstName,lastName,city'];
  for (let i = 0; i < 100_000; i++) rows.push(`user${i}@example.com,First${i},Last${i},City${i % 200}`);
  await fs.writeFile(csv, rows.join('\n') + '\n');
  const csvMailing = path.join(dir, 'csv100k.mailing.yaml');
  await fs.writeFile(
    csvMailing,
    [
      'version: 1',
      'name: A hundred thousand from CSV',
      'from: Acme News <news@acme.example>',
      'subject: "Hello {{firstName}}"',
      'content:',
      '  text: "Hello {{firstName}} {{lastName}} from {{city}}"',
      'unsubscribe:',
      '  url: https://acme.example/u?e={{email}}',
      'targetList:',
      '  include:',
      '    - file: customers100k.csv',
    ].join('\n') + '\n',
  );
  return { inline, csvMailing };
}

export async function benchValidate({ rounds = 30 } = {}) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mailings-bench-'));
  try {
    const example = path.join(root, 'examples/newsletter/newsletter.mailing.yaml');
    const { inline, csvMailing } = await generateMailings(dir);
    const yls = yamlLanguageService();
    const results = [];
    for (const [label, file, n] of [
      ['example mailing', example, rounds * 10],
      ['10,000 inline recipients', inline, rounds],
    ]) {
      const text = await fs.readFile(file, 'utf8');
      const uri = pathToFileURL(file).href;
      // Separate caches (and document URIs) for the two measurements, so neither evicts the other's parse.
      const cache = new FileCache();
      const editCache = new FileCache();
      const editUri = uri.replace(/\.mailing\.yaml$/, '-edited.mailing.yaml');
      const stateRoot = path.join(dir, '.mailings');
      const doc = TextDocument.create(uri, 'yaml', 1, text);
      // Both tools keep the parse of a document they have seen (yaml-language-server per document
      // version, mailings per file text), so each case is measured twice: the text as it was (a CSV or
      // the send state changed) and after an edit (every call gets a new text, parsed afresh).
      let edits = 0;
      const edited = () => `${text}# edit ${++edits}\n`;
      const r = await alternate(
        {
          mailings: () => buildConfirmModel(file, { text, cache, stateRoot }),
          yls: () => yls.doValidation(doc, false),
          mailingsEdited: () => buildConfirmModel(file, { text: edited(), cache: editCache, stateRoot }),
          ylsEdited: () => yls.doValidation(TextDocument.create(editUri, 'yaml', 1 + edits, edited()), false),
        },
        { rounds: n },
      );
      results.push([`${label}, after an edit`, ms(r.mailingsEdited), ms(r.ylsEdited), (r.ylsEdited / r.mailingsEdited).toFixed(1) + '×']);
      results.push([`${label}, text unchanged`, ms(r.mailings), ms(r.yls), (r.yls / r.mailings).toFixed(1) + '×']);
    }
    // The 100k CSV: cold (a fresh cache, so the CSV is read, parsed, validated and de-duplicated) and
    // warm (an edit of the YAML only: the unchanged CSV must not be read again).
    const csvText = await fs.readFile(csvMailing, 'utf8');
    const warmCache = new FileCache();
    let csvEdits = 0;
    await buildConfirmModel(csvMailing, { text: csvText, cache: warmCache });
    const doc = TextDocument.create(pathToFileURL(csvMailing).href, 'yaml', 1, csvText);
    const r = await alternate(
      {
        cold: () => buildConfirmModel(csvMailing, { text: csvText, cache: new FileCache() }),
        // Each call a new edit of the YAML: the text is parsed again, the CSV is not read again.
        warm: () => buildConfirmModel(csvMailing, { text: `${csvText}# edit ${++csvEdits}\n`, cache: warmCache }),
        yls: () => yls.doValidation(doc, false),
      },
      { rounds: Math.max(5, Math.round(rounds / 3)), warmup: 1 },
    );
    results.push(['100,000-row CSV, cold', ms(r.cold), ms(r.yls) + ' (YAML only)', '']);
    results.push(['100,000-row CSV, YAML edited', ms(r.warm), ms(r.yls) + ' (YAML only)', (r.yls / r.warm).toFixed(1) + '×']);
    console.log('\nValidation (median; full confirm model vs yaml-language-server doValidation, same schema, same run)');
    console.log(table([['case', 'mailings', 'yaml-language-server', 'ratio yls/mailings'], ...results]));
    if (baseline) await benchAgainstBaseline(example, inline, csvMailing, dir, rounds);
    await benchInbox(dir, rounds);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/**
 * This core against the baseline checkout's (MAILINGS_BENCH_BASELINE), the same cases as above, the
 * Inbox step left out (`inbox: false`: a baseline from before it has no such step, and ignores the
 * option). Each call after an edit: a new text, parsed afresh by both.
 */
async function benchAgainstBaseline(example, inline, csvMailing, dir, rounds) {
  const rows = [];
  for (const [label, file, n] of [
    ['example mailing', example, rounds * 10],
    ['10,000 inline recipients', inline, rounds],
    ['100,000-row CSV, YAML edited', csvMailing, Math.max(5, Math.round(rounds / 3))],
  ]) {
    const text = await fs.readFile(file, 'utf8');
    const caches = { now: new FileCache(), before: new baseline.FileCache() };
    let edits = 0;
    const edited = () => `${text}# edit ${++edits}\n`;
    const stateRoot = path.join(dir, '.mailings-baseline');
    const r = await alternate(
      {
        now: () => buildConfirmModel(file, { text: edited(), cache: caches.now, stateRoot, inbox: false }),
        before: () => baseline.buildConfirmModel(file, { text: edited(), cache: caches.before, stateRoot, inbox: false }),
      },
      { rounds: n },
    );
    rows.push([label, ms(r.now), ms(r.before), (r.now / r.before).toFixed(2)]);
  }
  console.log(`\nThis core against ${baselineRoot} (median, after an edit, Inbox step left out, same run)`);
  console.log(table([['case', 'this core', 'baseline', 'ratio this/baseline'], ...rows]));
}

/**
 * The Inbox step's offline checks (links, images, clipping, client support, empty merge values,
 * sender) on the example mailing: the confirm model alone, and with the Inbox analysis of its load
 * (on by default; `inbox: false` leaves it out), in the same run.
 * After an edit of the YAML (the HTML unchanged: its model and client-support verdicts are reused)
 * and after an edit of the HTML (a new content version: parsed again; only new units asked of caniemail).
 */
async function benchInbox(dir, rounds) {
  const source = path.join(root, 'examples/newsletter');
  const copy = path.join(dir, 'inbox-example');
  await fs.cp(source, copy, { recursive: true });
  const file = path.join(copy, 'newsletter.mailing.yaml');
  const text = await fs.readFile(file, 'utf8');
  const html = path.join(copy, 'newsletter.html');
  const htmlText = await fs.readFile(html, 'utf8');
  const stateRoot = path.join(dir, '.mailings-inbox');
  const plain = new FileCache();
  const inbox = new FileCache();
  let edits = 0;
  const edited = () => `${text}# edit ${++edits}\n`;
  const yamlEdit = await alternate(
    {
      without: () => buildConfirmModel(file, { text: edited(), cache: plain, stateRoot, inbox: false }),
      with: () => buildConfirmModel(file, { text: edited(), cache: inbox, stateRoot }),
    },
    { rounds: rounds * 10 },
  );
  // An HTML edit: each call writes a new version of the HTML (the same write in both cases).
  let htmlEdits = 0;
  const writeHtml = () => fs.writeFile(html, htmlText.replace('Hi {{firstName}},', `Hi {{firstName}}, ${++htmlEdits}`));
  const htmlEdit = await alternate(
    {
      without: async () => {
        await writeHtml();
        await buildConfirmModel(file, { text, cache: plain, stateRoot, inbox: false });
      },
      with: async () => {
        await writeHtml();
        await buildConfirmModel(file, { text, cache: inbox, stateRoot });
      },
    },
    { rounds: rounds * 3 },
  );
  const findings = (await buildConfirmModel(file, { text, cache: inbox, stateRoot })).diagnostics.filter((d) => d.step === 'inbox');
  const added = (r) => `+${(((r.with - r.without) / r.without) * 100).toFixed(0)}%`;
  console.log(`\nInbox checks on the example mailing (median; confirm model without and with the offline Inbox analysis, same run; Inbox diagnostics of the example: ${findings.length})`);
  console.log(
    table([
      ['case', 'confirm model', 'with Inbox checks', 'added (budget +25% after a YAML edit)'],
      ['after an edit of the YAML', ms(yamlEdit.without), ms(yamlEdit.with), added(yamlEdit)],
      ['after an edit of the HTML', ms(htmlEdit.without), ms(htmlEdit.with), added(htmlEdit)],
    ]),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchValidate();
}
