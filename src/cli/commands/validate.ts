// `mailings validate [--json] <files or folders...>`: the confirm checks, as in the editor, for CI.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { buildConfirmModel } from '../../core/confirmModel';
import { FileCache } from '../../core/load/fileCache';
import type { Diagnostic } from '../../core/types';
import { parseCommandLine, UsageError, type CliIO, type Command } from '../io';
import { stateRootFromCli } from '../smtpOptions';

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
  message: string;
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

function toJsonEntry(mailingFile: string, d: Diagnostic, cwd: string): ValidateJsonEntry {
  return {
    file: path.relative(cwd, d.file ?? mailingFile) || path.basename(mailingFile),
    line: d.range.start.line + 1,
    column: d.range.start.column + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.column + 1,
    severity: d.severity,
    code: d.code,
    step: d.step,
    message: d.message,
  };
}

export const validate: Command = {
  summary: 'check mailing files as Confirm does (exit 1 on any error)',
  usage: 'mailings validate [--json] [--state-dir DIR] <files or folders...>',
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseCommandLine({
        args: argv,
        allowPositionals: true,
        options: { json: { type: 'boolean' }, 'state-dir': { type: 'string' }, smtp: { type: 'string' } },
      });
    const { values, positionals } = parsed;
    if (positionals.length === 0) throw new UsageError('name at least one mailing file or folder');
    const files = await findMailingFiles(positionals, io.cwd);
    if (files.length === 0) {
      io.stderr.write(`mailings validate: no *.mailing.yaml files in ${positionals.join(', ')}\n`);
      return 2;
    }
    const smtpConfigured = Boolean(values.smtp ?? io.env.MAILINGS_SMTP_URL);
    const cache = new FileCache();
    const entries: ValidateJsonEntry[] = [];
    let errors = 0;
    let warnings = 0;
    for (const file of files) {
      const model = await buildConfirmModel(file, { stateRoot: stateRootFromCli(values['state-dir'], io, file), smtpConfigured, cache });
      for (const d of model.diagnostics) {
        if (d.severity === 'error') errors++;
        else if (d.severity === 'warning') warnings++;
        entries.push(toJsonEntry(file, d, io.cwd));
      }
    }
    if (values.json) {
      io.stdout.write(JSON.stringify(entries, null, 2) + '\n');
    } else {
      for (const e of entries) {
        io.stdout.write(`${e.file}:${e.line}:${e.column}: ${e.severity} ${e.code}: ${e.message}\n`);
      }
      const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
      io.stderr.write(`${plural(files.length, 'mailing')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`);
    }
    return errors > 0 ? 1 : 0;
  },
};
