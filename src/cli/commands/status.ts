// `mailings status <file> [--json] [--csv]`: send status and statistics, with where the messages went;
// --csv prints the per-recipient log (email, outcome, attempts, reply, at, messageId) instead.
import * as path from 'node:path';
import { exportRecipientLogCsv, getStatistics } from '../../core/index';
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
    csv: { type: 'boolean', description: 'print the per-recipient log as CSV: email, outcome, attempts, reply, at, messageId' },
    ...STATE_DIR_OPTION,
  },
  env: [],
  exitCodes: [[EXIT.ok, 'printed (a mailing never confirmed is a draft); also when the reader of the output went away (`| head`)'], [EXIT.failed, 'the state could not be read'], usageExit(), interruptExit()],
  examples: ['mailings status newsletter.mailing.yaml --json', 'mailings status newsletter.mailing.yaml --csv > recipients.csv'],
  async run({ values, positionals, lang }, io) {
    if (values.json && values.csv) throw new UsageError('--json or --csv, not both');
    const file = path.resolve(io.cwd, positionals[0]);
    const stateRoot = stateRootFromCli(values['state-dir'], io, file);
    if (values.csv) {
      await exportRecipientLogCsv(file, stateRoot, io.stdout);
      return EXIT.ok;
    }
    const statistics = await getStatistics(file, stateRoot);
    io.stdout.write(values.json ? JSON.stringify(statisticsJson(statistics), null, 2) + '\n' : summaryText(statistics, io.cwd, cliWords(lang)));
    return EXIT.ok;
  },
});
