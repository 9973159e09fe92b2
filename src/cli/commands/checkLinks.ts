// `mailings check-links <file> [--json] [--timeout S] [--include-local]`: the Inbox step's link
// reachability, on demand: every distinct link and image address of the HTML fetched once (HEAD,
// then GET when HEAD is refused; redirects not followed), reported at the lines they are written on.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { buildConfirmModel, checkMailingLinks, summaryLine } from '../../core/index';
import { defineCommand, interruptExit, usageExit } from '../command';
import { EXIT, UsageError } from '../io';
import { diagnosticLine, formatterFor } from '../text';
import { MAILING_FILE_ARGUMENT } from './mailingArgument';
import { toJsonEntry } from './validate';

const DEFAULT_TIMEOUT_SECONDS = 10;

/** Errors that keep (part of) the message from being read, so its links from being checked: said, and exit 1. */
const UNREADABLE: ReadonlySet<string> = new Set(['file-missing', 'file-unreadable', 'file-encoding', 'content-missing']);

function timeoutMs(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(seconds > 0) || seconds > 600) throw new UsageError(`--timeout: a number of seconds from 0.1 to 600, not ${value}`);
  return Math.round(seconds * 1000);
}

export const checkLinks = defineCommand({
  name: 'check-links',
  summary: 'fetch every link and image of the message once: link-broken, link-redirect (exit 1 on a broken one)',
  description: [
    'Prints one line per finding, `path:line:column: severity code: message`, and a count on stderr.',
    'Merge fields are filled with the first recipient’s values. Addresses of this machine or a private network',
    '(link-local errors already) are fetched only with --include-local.',
  ].join('\n'),
  arguments: MAILING_FILE_ARGUMENT,
  options: {
    json: { type: 'boolean', description: 'print an array of {file, line, column, endLine, endColumn, severity, code, step, message, args} (1-based), as validate does' },
    timeout: { type: 'string', value: 'SECONDS', description: `how long to wait for each answer (default ${DEFAULT_TIMEOUT_SECONDS})` },
    'include-local': { type: 'boolean', description: 'also fetch localhost, loopback and private-network addresses (a staging server)' },
  },
  env: [],
  exitCodes: [
    [EXIT.ok, 'every address answered (redirects are reported, as info)'],
    [EXIT.failed, 'one or more broken links or images (4xx/5xx, or no answer), or a part of the message that cannot be read (its errors are printed)'],
    usageExit('a file that does not exist, a --timeout that is no number of seconds'),
    interruptExit(),
  ],
  examples: ['mailings check-links newsletter.mailing.yaml', 'mailings check-links --json --timeout 5 newsletter.mailing.yaml'],
  async run({ values, positionals, lang }, io) {
    const file = path.resolve(io.cwd, positionals[0]);
    const ms = timeoutMs(values.timeout);
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat?.isFile()) throw new UsageError(`no such file: ${positionals[0]}`);
    const model = await buildConfirmModel(file);
    const result = await checkMailingLinks(model, { timeoutMs: ms, includeLocal: values['include-local'] ?? false });
    const unread = model.diagnostics.filter((d) => d.severity === 'error' && (d.step === 'file' || (d.step === 'content' && UNREADABLE.has(d.code))));
    const printed = [...unread, ...result.diagnostics];
    const f = formatterFor(lang, model.mailing.timezone);
    if (values.json) {
      io.stdout.write(JSON.stringify(printed.map((d) => toJsonEntry(file, d, io.cwd, f)), null, 2) + '\n');
    } else {
      for (const d of printed) io.stdout.write(`${diagnosticLine(d, file, io.cwd, f)}\n`);
      for (const fact of result.facts) io.stderr.write(`${path.relative(io.cwd, file) || path.basename(file)}: ${summaryLine(fact, f)}\n`);
    }
    return unread.length > 0 || result.diagnostics.some((d) => d.code === 'link-broken') ? EXIT.failed : EXIT.ok;
  },
});
