// `mailings validate [--json] [--spam] <files or folders...>`: the confirm checks, as in the editor,
// for CI; `--spam` adds the Inbox step's spam score (the real SpamAssassin, slow: on demand only).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { buildConfirmModel, type Diagnostic, FileCache, type Formatter, renderDiagnostic, summaryLine, withInboxResults, scoreMailingSpam } from '../../core/index';
import { defineCommand, interruptExit, usageExit } from '../command';
import { EXIT, UsageError } from '../io';
import { diagnosticLine, formatterFor } from '../text';
import { STATE_DIR_OPTION, stateRootFromCli } from '../smtpOptions';

const MAILING_FILE = /\.mailing\.ya?ml$/i;
/** Folders never searched for mailings: dependencies, our own state, VCS and editor folders. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.mailings', '.vscode-test', 'out', 'dist']);

/** One diagnostic as `--json` prints it: 1-based positions, the file it is in. */
export interface ValidateJsonEntry {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Diagnostic['severity'];
  code: Diagnostic['code'];
  step: Diagnostic['step'];
  /** In the language of the command line (--lang, LC_ALL, LC_MESSAGES, LANG). */
  message: string;
  /** The facts the message is built from, the same in every language. */
  args: Diagnostic['args'];
}

/** Expands the arguments to mailing files: files as given, folders searched recursively (sorted). */
export async function findMailingFiles(args: string[], cwd: string): Promise<string[]> {
  const found: string[] = [];
  for (const arg of args) {
    const abs = path.resolve(cwd, arg);
    let stat;
    try {
      stat = await fs.stat(abs);
    } catch {
      throw new UsageError(`no such file or folder: ${arg}`);
    }
    if (stat.isDirectory()) {
      found.push(...(await walk(abs)));
    } else {
      found.push(abs);
    }
  }
  return [...new Set(found)];
}

async function walk(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) files.push(...(await walk(full)));
    } else if (entry.isFile() && MAILING_FILE.test(entry.name)) {
      files.push(full);
    }
  }
  return files;
}

/** `--json`'s entry of a diagnostic (check-links prints the same). */
export function toJsonEntry(mailingFile: string, d: Diagnostic, cwd: string, f: Formatter): ValidateJsonEntry {
  return {
    file: path.relative(cwd, d.file ?? mailingFile) || path.basename(mailingFile),
    line: d.range.start.line + 1,
    column: d.range.start.column + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.column + 1,
    severity: d.severity,
    code: d.code,
    step: d.step,
    message: renderDiagnostic(d, f),
    args: d.args,
  };
}

export const validate = defineCommand({
  name: 'validate',
  summary: 'check mailing files as Confirm does (exit 1 on any error)',
  description: [
    'Prints one line per diagnostic, `path:line:column: severity code: message`, and a count on stderr.',
    'A folder means every *.mailing.yaml below it (node_modules, .git, .mailings, out and dist skipped).',
    'With --spam, SpamAssassin (`spamassassin` on PATH, local rules only; or `spamc` and a running spamd: MAILINGS_SPAMASSASSIN)',
    'scores the message of the first recipient:',
    'spam-score over `checks.spam.warning` (default 3) or `checks.spam.error` (default 5); the score goes to stderr.',
  ].join('\n'),
  arguments: { usage: '<files or folders...>', description: 'mailing files, or folders to search for them', min: 1, wrongCount: 'name at least one mailing file or folder' },
  options: {
    json: { type: 'boolean', description: 'print an array of {file, line, column, endLine, endColumn, severity, code, step, message, args} (1-based)' },
    spam: { type: 'boolean', description: 'also score each message with SpamAssassin (a few seconds each; an info when it is not installed)' },
    ...STATE_DIR_OPTION,
    smtp: { type: 'string', value: 'URL', description: 'count an SMTP server as configured (transport smtp then gives no transport-unconfigured); nothing is sent' },
  },
  env: ['MAILINGS_SMTP_URL', 'MAILINGS_SPAMASSASSIN'],
  exitCodes: [
    [EXIT.ok, 'no errors (warnings may be printed)'],
    [EXIT.failed, 'one or more errors'],
    usageExit('a file or folder that does not exist, a folder without mailings'),
    interruptExit(),
  ],
  examples: ['mailings validate newsletter.mailing.yaml', 'mailings validate --json mailings/ > diagnostics.json', 'mailings validate --spam newsletter.mailing.yaml'],
  async run({ values, positionals, lang }, io) {
    const files = await findMailingFiles(positionals, io.cwd);
    if (files.length === 0) {
      io.stderr.write(`mailings validate: no *.mailing.yaml files in ${positionals.join(', ')}\n`);
      return EXIT.usage;
    }
    const smtpConfigured = Boolean(values.smtp ?? io.env.MAILINGS_SMTP_URL);
    const cache = new FileCache();
    const entries: ValidateJsonEntry[] = [];
    const lines: string[] = [];
    const scores: string[] = [];
    let errors = 0;
    let warnings = 0;
    for (const file of files) {
      // Each file's own state: files of several workspaces may be checked at once.
      const checked = await buildConfirmModel(file, { stateRoot: stateRootFromCli(values['state-dir'], io, file), smtpConfigured, cache });
      const model = values.spam ? withInboxResults(checked, await scoreMailingSpam(checked, io.env.MAILINGS_SPAMASSASSIN?.trim() ? { command: io.env.MAILINGS_SPAMASSASSIN.trim() } : {})) : checked;
      const f = formatterFor(lang, model.mailing.timezone);
      if (values.spam) {
        const spam = model.steps.find((step) => step.step === 'inbox')?.facts.find((fact) => fact.code === 'summary-spam');
        if (spam) scores.push(`${path.relative(io.cwd, file) || path.basename(file)}: ${summaryLine(spam, f)}`);
      }
      for (const d of model.diagnostics) {
        if (d.severity === 'error') errors++;
        else if (d.severity === 'warning') warnings++;
        entries.push(toJsonEntry(file, d, io.cwd, f));
        lines.push(diagnosticLine(d, file, io.cwd, f));
      }
    }
    if (values.json) {
      io.stdout.write(JSON.stringify(entries, null, 2) + '\n');
    } else {
      for (const line of lines) io.stdout.write(`${line}\n`);
      for (const line of scores) io.stderr.write(`${line}\n`);
      const f = formatterFor(lang);
      io.stderr.write(
        lang === 'nl'
          ? `${f.count(files.length, 'mailing', 'mailings')} gecontroleerd: ${f.count(errors, 'fout', 'fouten')}, ${f.count(warnings, 'waarschuwing', 'waarschuwingen')}\n`
          : `${f.count(files.length, 'mailing', 'mailings')} checked: ${f.count(errors, 'error', 'errors')}, ${f.count(warnings, 'warning', 'warnings')}\n`,
      );
    }
    return errors > 0 ? EXIT.failed : EXIT.ok;
  },
});
