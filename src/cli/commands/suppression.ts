// `mailings suppression list|add|remove|import|clear-bounce`: the workspace's suppression list
// (`.mailings/suppression.csv`, suppression/suppressionList.ts), which every mailing leaves out.
// The state root is found from the current folder (as `git` finds .git), or given with --state-dir.
import * as path from 'node:path';
import { importSuppressions, SoftBounces, SUPPRESSION_REASONS, type SuppressionEntry, SuppressionError, SuppressionImportError, SuppressionList, type SuppressionReason } from '../../core/index';
import { defineCommand, interruptExit, usageExit } from '../command';
import { EXIT, UsageError } from '../io';
import { STATE_DIR_OPTION, stateRootFromCli } from '../smtpOptions';

const ACTIONS = ['list', 'add', 'remove', 'import', 'clear-bounce'] as const;
type Action = (typeof ACTIONS)[number];

function reasonOf(value: string | undefined, fallback: SuppressionReason): SuppressionReason {
  if (value === undefined) return fallback;
  if (!(SUPPRESSION_REASONS as readonly string[]).includes(value)) throw new UsageError(`--reason ${value}: one of ${SUPPRESSION_REASONS.join(', ')}`);
  return value as SuppressionReason;
}

function entryLine(entry: SuppressionEntry): string {
  return [entry.address, entry.reason, entry.date, entry.mailing || '-', entry.detail].filter((part) => part !== '').join('  ');
}

export const suppression = defineCommand({
  name: 'suppression',
  summary: 'the suppression list every mailing leaves out: list, add, remove, import a CSV, clear a bounce flag',
  description: [
    'list                      every suppressed address with its reason, date, mailing and detail',
    'add <address...>          suppress addresses (--reason manual by default; an address already listed keeps its first reason)',
    'remove <address...>       mail these addresses again (every row of each)',
    'import <file.csv>         suppress the `email` column of a CSV (--reason unsubscribe by default)',
    'clear-bounce <address...> forget the soft bounces of these addresses and lift a suppression for bouncing (a complaint, unsubscribe or manual entry stays)',
  ].join('\n'),
  arguments: {
    usage: '<list|add|remove|import|clear-bounce> [addresses or file...]',
    description: 'what to do, and with which addresses (add, remove, clear-bounce) or file (import)',
    min: 1,
    wrongCount: 'name an action: list, add, remove, import or clear-bounce',
  },
  options: {
    json: { type: 'boolean', description: 'print the result as JSON (list: the entries; add, remove, import, clear-bounce: what changed)' },
    reason: { type: 'string', value: 'REASON', description: `why the addresses are suppressed (add, import): ${SUPPRESSION_REASONS.join(', ')}` },
    detail: { type: 'string', value: 'TEXT', description: 'a note kept with each address added (add, import)' },
    ...STATE_DIR_OPTION,
  },
  env: [],
  exitCodes: [
    [EXIT.ok, 'done (also when nothing changed: the addresses were listed already, or not listed)'],
    [EXIT.failed, 'an invalid address (nothing added), a CSV that cannot be imported, or the list cannot be read or written'],
    usageExit(),
    interruptExit(),
  ],
  examples: [
    'mailings suppression list --json',
    'mailings suppression add piet@klant.example --detail "asked by phone"',
    'mailings suppression remove piet@klant.example',
    'mailings suppression import unsubscribes-crm.csv',
    'mailings suppression clear-bounce piet@klant.example',
  ],
  async run({ values, positionals }, io) {
    const [action, ...rest] = positionals as [string, ...string[]];
    if (!(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`${action}: the action is one of ${ACTIONS.join(', ')}`);
    const stateRoot = stateRootFromCli(values['state-dir'], io);
    const list = new SuppressionList(stateRoot);
    const print = (json: unknown, text: string) => io.stdout.write(values.json ? JSON.stringify(json, null, 2) + '\n' : text);
    try {
      switch (action as Action) {
        case 'list': {
          if (rest.length) throw new UsageError('list takes no addresses');
          const entries = await list.list();
          print(entries, entries.map((entry) => entryLine(entry) + '\n').join(''));
          return EXIT.ok;
        }
        case 'add': {
          if (rest.length === 0) throw new UsageError('add: name one or more addresses');
          const reason = reasonOf(values.reason, 'manual');
          const { added, already } = await list.add(rest.map((address) => ({ address, reason, ...(values.detail ? { detail: values.detail } : {}) })));
          print({ added, already }, `${added.length} added, ${already.length} suppressed already\n`);
          return EXIT.ok;
        }
        case 'remove': {
          if (rest.length === 0) throw new UsageError('remove: name one or more addresses');
          if (values.reason !== undefined || values.detail !== undefined) throw new UsageError('remove takes no --reason or --detail');
          const removed = await list.remove(rest);
          print({ removed }, `${removed.length} removed\n`);
          return EXIT.ok;
        }
        case 'clear-bounce': {
          if (rest.length === 0) throw new UsageError('clear-bounce: name one or more addresses');
          if (values.reason !== undefined || values.detail !== undefined) throw new UsageError('clear-bounce takes no --reason or --detail');
          const softBounces = new SoftBounces(stateRoot, list);
          const cleared: { address: string; softBouncesCleared: number; suppressionRemoved: SuppressionEntry[] }[] = [];
          for (const address of rest) cleared.push({ address, ...(await softBounces.clearBounceFlag(address)) });
          const text = cleared
            .map(({ address, softBouncesCleared, suppressionRemoved }) => {
              const lifted = suppressionRemoved.length > 0 ? `no longer suppressed (was ${suppressionRemoved.map((e) => e.reason).join(', ')})` : 'was not suppressed for bouncing';
              return `${address}: ${softBouncesCleared} soft bounces forgotten, ${lifted}\n`;
            })
            .join('');
          print({ cleared }, text);
          return EXIT.ok;
        }
        case 'import': {
          if (rest.length !== 1) throw new UsageError('import: name one CSV file');
          const reason = reasonOf(values.reason, 'unsubscribe');
          const result = await importSuppressions(list, path.resolve(io.cwd, rest[0]), { reason, ...(values.detail ? { detail: values.detail } : {}) });
          const invalid = result.invalid.map((row) => `  row ${row.line}: ${JSON.stringify(row.value)} is not a valid address (skipped)\n`).join('');
          print(
            result,
            `${result.file}: ${result.rows} rows, ${result.added} added, ${result.already} suppressed already, ${result.duplicates} listed twice, ${result.invalid.length} invalid\n${invalid}`,
          );
          return EXIT.ok;
        }
      }
    } catch (error) {
      if (error instanceof SuppressionImportError) {
        io.stderr.write(`${error.file}${error.line ? `:${error.line}` : ''}: error ${error.code}: ${error.message}\n`);
        return EXIT.failed;
      }
      if (error instanceof SuppressionError) {
        io.stderr.write(`error ${error.code}: ${error.message}; nothing was added\n`);
        return EXIT.failed;
      }
      throw error;
    }
  },
});
