// `mailings status <file> [--json] [--csv]`: send status and statistics, with where the messages went;
// --csv prints the per-recipient log (email, outcome, attempts, reply, at, messageId, bounce,
// complained, report, run, reason) instead; --status keeps the rows of one outcome or report.
import * as path from 'node:path';
import { exportRecipientLogCsv, getStatistics, RECIPIENT_LOG_FILTERS, type RecipientLogFilter } from '../../core/index';
import { defineCommand, interruptExit, usageExit } from '../command';
import { EXIT, UsageError } from '../io';
import { STATE_DIR_OPTION, stateRootFromCli } from '../smtpOptions';
import { statisticsJson, summaryText } from '../statisticsText';
import { cliWords } from '../words';
import { MAILING_FILE_ARGUMENT } from './mailingArgument';

export const status = defineCommand({
  name: 'status',
  summary: 'send status and statistics (--json), or the per-recipient log as CSV (--csv)',
  arguments: MAILING_FILE_ARGUMENT,
  options: {
    json: { type: 'boolean', description: 'print the statistics as JSON: status, total, sent, failed, …, destination' },
    csv: { type: 'boolean', description: 'print the per-recipient log as CSV: email, outcome, attempts, reply, at, messageId, bounce, complained, report, run, reason' },
    status: { type: 'string', value: RECIPIENT_LOG_FILTERS.join('|'), description: 'with --csv: only the recipients of that outcome (bounced, complained: of that report)' },
    ...STATE_DIR_OPTION,
  },
  env: [],
  exitCodes: [[EXIT.ok, 'printed (a mailing never confirmed is a draft); also when the reader of the output went away (`| head`)'], [EXIT.failed, 'the state could not be read'], usageExit(), interruptExit()],
  examples: ['mailings status newsletter.mailing.yaml --json', 'mailings status newsletter.mailing.yaml --csv > recipients.csv', 'mailings status newsletter.mailing.yaml --csv --status bounced'],
  async run({ values, positionals, lang }, io) {
    if (values.json && values.csv) throw new UsageError('--json or --csv, not both');
    const filter = values.status as string | undefined;
    if (filter !== undefined && !values.csv) throw new UsageError('--status filters the per-recipient log: use it with --csv');
    if (filter !== undefined && !RECIPIENT_LOG_FILTERS.includes(filter as RecipientLogFilter)) throw new UsageError(`--status: one of ${RECIPIENT_LOG_FILTERS.join(', ')}, not ${filter}`);
    const file = path.resolve(io.cwd, positionals[0]);
    const stateRoot = stateRootFromCli(values['state-dir'], io, file);
    if (values.csv) {
      await exportRecipientLogCsv(file, stateRoot, io.stdout, filter as RecipientLogFilter | undefined);
      return EXIT.ok;
    }
    const statistics = await getStatistics(file, stateRoot);
    io.stdout.write(values.json ? JSON.stringify(statisticsJson(statistics), null, 2) + '\n' : summaryText(statistics, io.cwd, cliWords(lang)));
    return EXIT.ok;
  },
});
