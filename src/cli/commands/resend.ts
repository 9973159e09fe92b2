// `mailings resend <file> [--to a,b] [--again]`: Resend a completed or stopped mailing to the rows of
// its target list (as the file and its CSVs say now) that it has not reached: rows added since, and
// recipients that failed or were never sent — never a suppressed address, never a hard bounce. With
// --to only the addresses named; --again also those reached already. Each resend is a new run in the
// same journal, sent in the foreground as Start sends (Ctrl-C stops it; `mailings start` resumes).
import * as path from 'node:path';
import { buildConfirmModel, getConfirmedMailing, resendMailing } from '../../core/index';
import { defineCommand, interruptExit, usageExit } from '../command';
import { EXIT, UsageError } from '../io';
import { reportRefusal, runInForeground } from '../sendRun';
import { refuseSmtpForOutbox, SEND_OPTIONS, sendContextFromCli } from '../smtpOptions';
import { MAILING_FILE_ARGUMENT } from './mailingArgument';

export const resend = defineCommand({
  name: 'resend',
  summary: 'Resend: send a completed or stopped mailing to the rows it has not reached (added since, failed)',
  description: [
    'The content is the confirmed one (the snapshot); the target list is read again: rows added since and',
    'recipients that failed or were never sent get the message, suppressed addresses and hard bounces never.',
  ].join('\n'),
  arguments: MAILING_FILE_ARGUMENT,
  options: {
    to: { type: 'string', value: 'ADDRESSES', description: 'only these addresses of the target list, comma-separated' },
    again: { type: 'boolean', description: 'also send to recipients it reached already (with --to: those named)' },
    json: { type: 'boolean', description: 'print the final statistics as JSON (as `mailings status --json`)' },
    ...SEND_OPTIONS,
  },
  env: ['MAILINGS_SMTP_URL', 'MAILINGS_SMTP_PASSWORD', 'MAILINGS_SOFT_BOUNCE_LIMIT'],
  exitCodes: [
    [EXIT.ok, 'completed'],
    [EXIT.failed, 'refused (not completed or stopped; nothing to resend; the target list has errors; another process sends it) or stopped for a fault'],
    usageExit('--smtp or MAILINGS_SMTP_URL for a mailing confirmed with transport outbox; an empty --to'),
    interruptExit('the messages in flight finished, the mailing is stopped, `mailings start` resumes it'),
  ],
  examples: ['mailings resend newsletter.mailing.yaml', 'mailings resend newsletter.mailing.yaml --to ann@example.com,bob@example.com --again'],
  async run({ values, positionals, lang }, io) {
    const file = path.resolve(io.cwd, positionals[0]);
    const to = values.to === undefined ? undefined : values.to.split(',').map((address) => address.trim()).filter(Boolean);
    if (to && to.length === 0) throw new UsageError('--to: name one or more addresses, comma-separated');
    const ctx = sendContextFromCli(values, io, `mailings resend (pid ${process.pid})`, file);
    const confirmed = await getConfirmedMailing(file, ctx.stateRoot);
    if (confirmed) refuseSmtpForOutbox(confirmed, ctx, values, io, { confirmed: true });
    const model = await buildConfirmModel(file, { stateRoot: ctx.stateRoot, smtpConfigured: ctx.smtp !== undefined });
    try {
      return await runInForeground(io, 'resend', Boolean(values.json), (options) => resendMailing(model, ctx, { ...options, ...(to ? { to } : {}), again: Boolean(values.again) }), lang);
    } catch (error) {
      const code = reportRefusal(io, 'resend', error, Boolean(values.json), lang);
      if (code === undefined) throw error;
      return code;
    }
  },
});
