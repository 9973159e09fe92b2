// `mailings send <file> --now`: Send now. Refused while the mailing has errors or is no draft; freezes
// what is sent, then sends in the foreground until it completes (exit 0) or stops (exit 1, reason
// printed). Without --now it shows what would be sent and sends nothing.
import * as path from 'node:path';
import { sendNow } from '../../core/actions';
import { buildConfirmModel } from '../../core/confirmModel';
import { parseCommandLine, UsageError, type CliIO, type Command } from '../io';
import { reportRefusal, runInForeground } from '../sendRun';
import { SEND_OPTIONS, sendContextFromCli } from '../smtpOptions';

export const send: Command = {
  summary: 'Send now: confirm the mailing and send it in the foreground (--now)',
  usage: 'mailings send <file> --now [--again] [--json] [--state-dir DIR] [--smtp smtp(s)://user@host:port]',
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseCommandLine({ args: argv, allowPositionals: true, options: { ...SEND_OPTIONS, now: { type: 'boolean' }, again: { type: 'boolean' }, json: { type: 'boolean' } } });
    const { values, positionals } = parsed;
    if (positionals.length !== 1) throw new UsageError('name one mailing file');
    const file = path.resolve(io.cwd, positionals[0]);
    const ctx = sendContextFromCli(values, io, `mailings send (pid ${process.pid})`, file);
    const model = await buildConfirmModel(file, { stateRoot: ctx.stateRoot, smtpConfigured: ctx.smtp !== undefined });
    if (!values.now) {
      const errors = model.diagnostics.filter((d) => d.severity === 'error').length;
      for (const step of model.steps) io.stdout.write(`${step.complete ? 'ok ' : 'ERR'} ${step.step}: ${step.lines.join('; ')}\n`);
      io.stderr.write(
        errors > 0
          ? `mailings send: ${errors} error(s) to fix first (mailings validate ${positionals[0]}); nothing sent\n`
          : `mailings send: nothing sent; add --now to send ${model.mailing.targetList?.recipients.length ?? 0} messages now\n`,
      );
      return errors > 0 ? 1 : 2;
    }
    try {
      return await runInForeground(io, 'send', Boolean(values.json), (options) => sendNow(model, ctx, { ...options, again: Boolean(values.again) }));
    } catch (error) {
      const code = reportRefusal(io, 'send', error, Boolean(values.json));
      if (code === undefined) throw error;
      return code;
    }
  },
};
