// `mailings start <file>`: Start. A scheduled (or missed) mailing starts now; a stopped one resumes
// where it was (after a crash, the recipients whose outcome is unknown are resent and counted as
// uncertain). Sends in the foreground: exit 0 when completed, 1 when stopped.
import * as path from 'node:path';
import { startMailing } from '../../core/actions';
import { parseCommandLine, UsageError, type CliIO, type Command } from '../io';
import { reportRefusal, runInForeground } from '../sendRun';
import { SEND_OPTIONS, sendContextFromCli } from '../smtpOptions';

export const start: Command = {
  summary: 'Start: send a scheduled mailing now, or resume a stopped one',
  usage: 'mailings start <file> [--json] [--state-dir DIR] [--smtp smtp(s)://user@host:port]',
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseCommandLine({ args: argv, allowPositionals: true, options: { ...SEND_OPTIONS, json: { type: 'boolean' } } });
    const { values, positionals } = parsed;
    if (positionals.length !== 1) throw new UsageError('name one mailing file');
    const file = path.resolve(io.cwd, positionals[0]);
    const ctx = sendContextFromCli(values, io, `mailings start (pid ${process.pid})`, file);
    try {
      return await runInForeground(io, 'start', Boolean(values.json), (options) => startMailing(file, ctx, options));
    } catch (error) {
      const code = reportRefusal(io, 'start', error, Boolean(values.json));
      if (code === undefined) throw error;
      return code;
    }
  },
};
