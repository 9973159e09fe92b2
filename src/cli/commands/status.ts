// `mailings status <file> [--json] [--csv]`: send status and statistics; --csv prints the per-recipient
// log (email, outcome, attempts, reply, at, messageId) instead.
import * as path from 'node:path';
import { exportRecipientLogCsv, getStatistics } from '../../core/actions';
import { parseCommandLine, UsageError, type CliIO, type Command } from '../io';
import { SEND_OPTIONS, stateRootFromCli } from '../smtpOptions';
import { statisticsJson, summaryText } from '../statisticsText';

export const status: Command = {
  summary: 'send status and statistics (--json), or the per-recipient log as CSV (--csv)',
  usage: 'mailings status <file> [--json | --csv] [--state-dir DIR]',
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseCommandLine({
        args: argv,
        allowPositionals: true,
        options: { 'state-dir': SEND_OPTIONS['state-dir'], json: { type: 'boolean' }, csv: { type: 'boolean' } },
      });
    const { values, positionals } = parsed;
    if (positionals.length !== 1) throw new UsageError('name one mailing file');
    if (values.json && values.csv) throw new UsageError('--json or --csv, not both');
    const file = path.resolve(io.cwd, positionals[0]);
    const stateRoot = stateRootFromCli(values['state-dir'], io, file);
    if (values.csv) {
      await exportRecipientLogCsv(file, stateRoot, io.stdout);
      return 0;
    }
    const statistics = await getStatistics(file, stateRoot);
    io.stdout.write(values.json ? JSON.stringify(statisticsJson(statistics), null, 2) + '\n' : summaryText(statistics));
    return 0;
  },
};
