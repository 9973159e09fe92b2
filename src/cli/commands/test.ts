// `mailings test <file>`: sends the mailing to its test recipients (the first target-list row's fields,
// subject `[TEST] …`) and records the test, which clears `test-not-sent` / `test-outdated`.
import * as path from 'node:path';
import { sendTest } from '../../core/actions';
import { buildConfirmModel } from '../../core/confirmModel';
import { parseCommandLine, UsageError, type CliIO, type Command } from '../io';
import { reportRefusal } from '../sendRun';
import { SEND_OPTIONS, sendContextFromCli } from '../smtpOptions';

export const test: Command = {
  summary: 'send the mailing to its test recipients ([TEST] subject, first row’s fields)',
  usage: 'mailings test <file> [--json] [--state-dir DIR] [--smtp smtp(s)://user@host:port]',
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseCommandLine({ args: argv, allowPositionals: true, options: { ...SEND_OPTIONS, json: { type: 'boolean' } } });
    const { values, positionals } = parsed;
    if (positionals.length !== 1) throw new UsageError('name one mailing file');
    const file = path.resolve(io.cwd, positionals[0]);
    const ctx = sendContextFromCli(values, io, `mailings test (pid ${process.pid})`, file);
    const model = await buildConfirmModel(file, { stateRoot: ctx.stateRoot, smtpConfigured: ctx.smtp !== undefined });
    try {
      const record = await sendTest(model, ctx);
      if (values.json) io.stdout.write(JSON.stringify(record, null, 2) + '\n');
      else io.stdout.write(`Test sent to ${record.to.join(', ')} (${record.messageIds.join(', ')})\n`);
      return 0;
    } catch (error) {
      const code = reportRefusal(io, 'test', error, Boolean(values.json));
      if (code === undefined) throw error;
      return code;
    }
  },
};
