// `mailings stop <file>`: Stop. A scheduled mailing goes back to draft; a mailing being sent (by this
// machine's VS Code, another CLI) stops after its messages in flight — this waits until it has.
import * as path from 'node:path';
import { stopMailing } from '../../core/actions';
import { parseCommandLine, UsageError, type CliIO, type Command } from '../io';
import { reportRefusal } from '../sendRun';
import { SEND_OPTIONS, stateRootFromCli } from '../smtpOptions';
import { statisticsJson, summaryText } from '../statisticsText';

export const stop: Command = {
  summary: 'Stop: unschedule a scheduled mailing, or stop one being sent',
  usage: 'mailings stop <file> [--json] [--state-dir DIR]',
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseCommandLine({ args: argv, allowPositionals: true, options: { 'state-dir': SEND_OPTIONS['state-dir'], json: { type: 'boolean' } } });
    const { values, positionals } = parsed;
    if (positionals.length !== 1) throw new UsageError('name one mailing file');
    const file = path.resolve(io.cwd, positionals[0]);
    const ctx = { stateRoot: stateRootFromCli(values['state-dir'], io, file), owner: `mailings stop (pid ${process.pid})` };
    try {
      const statistics = await stopMailing(file, ctx);
      io.stdout.write(values.json ? JSON.stringify(statisticsJson(statistics), null, 2) + '\n' : summaryText(statistics));
      return 0;
    } catch (error) {
      const code = reportRefusal(io, 'stop', error, Boolean(values.json));
      if (code === undefined) throw error;
      return code;
    }
  },
};
