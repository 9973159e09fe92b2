// `mailings start <file>`: Start. A scheduled (or missed) mailing starts now; a stopped one resumes
// where it was (after a crash, the recipients whose outcome is unknown are resent and counted as
// uncertain). Sends in the foreground: exit 0 when completed, 1 when stopped for a fault, 130 when
// Ctrl-C stopped it.
import * as path from 'node:path';
import { getConfirmedMailing, startMailing } from '../../core/index';
import { defineCommand, interruptExit, usageExit } from '../command';
import { EXIT } from '../io';
import { reportRefusal, runInForeground } from '../sendRun';
import { refuseSmtpForOutbox, SEND_OPTIONS, sendContextFromCli } from '../smtpOptions';
import { MAILING_FILE_ARGUMENT } from './mailingArgument';

export const start = defineCommand({
  name: 'start',
  summary: 'Start: send a scheduled mailing now, or resume a stopped one',
  description: 'Sends what was confirmed (the snapshot), whatever the file says now, to the destination of its transport.',
  arguments: MAILING_FILE_ARGUMENT,
  options: {
    json: { type: 'boolean', description: 'print the final statistics as JSON (as `mailings status --json`)' },
    ...SEND_OPTIONS,
  },
  env: ['MAILINGS_SMTP_URL', 'MAILINGS_SMTP_PASSWORD', 'MAILINGS_SOFT_BOUNCE_LIMIT'],
  exitCodes: [
    [EXIT.ok, 'completed'],
    [EXIT.failed, 'refused (the mailing is no scheduled, missed or stopped one; another process sends it) or stopped for a fault'],
    usageExit('--smtp or MAILINGS_SMTP_URL for a mailing confirmed with transport outbox'),
    interruptExit('the messages in flight finished, the mailing is stopped, Start resumes it'),
  ],
  examples: ['mailings start newsletter.mailing.yaml', 'MAILINGS_SMTP_URL=smtp://news@mail.example.com:587 mailings start newsletter.mailing.yaml'],
  async run({ values, positionals, lang }, io) {
    const file = path.resolve(io.cwd, positionals[0]);
    const ctx = sendContextFromCli(values, io, `mailings start (pid ${process.pid})`, file);
    // The transport that counts is the confirmed one: the file may have changed since.
    const confirmed = await getConfirmedMailing(file, ctx.stateRoot);
    if (confirmed) refuseSmtpForOutbox(confirmed, ctx, values, io, { confirmed: true });
    try {
      return await runInForeground(io, 'start', Boolean(values.json), (options) => startMailing(file, ctx, options), lang);
    } catch (error) {
      const code = reportRefusal(io, 'start', error, Boolean(values.json), lang);
      if (code === undefined) throw error;
      return code;
    }
  },
});
