// `mailings send <file> --now`: Send now. Refused while the mailing has errors or is no draft; freezes
// what is sent, then sends in the foreground until it completes (exit 0) or stops (exit 1 for a fault,
// 130 for Ctrl-C; the reason printed). Without --now it is a dry run: it shows what would be sent,
// sends nothing, and exits 0 when the mailing could be sent as it is (1 when it has errors).
import * as path from 'node:path';
import { buildConfirmModel, destinationOf, sendNow, statusWord, summaryLine } from '../../core/index';
import { defineCommand, interruptExit, usageExit } from '../command';
import { viaDestination } from '../destinationText';
import { EXIT } from '../io';
import { formatterFor } from '../text';
import { reportRefusal, runInForeground } from '../sendRun';
import { refuseSmtpForOutbox, SEND_OPTIONS, sendContextFromCli } from '../smtpOptions';
import { cliWords } from '../words';
import { MAILING_FILE_ARGUMENT, transportIsCertain } from './mailingArgument';

export const send = defineCommand({
  name: 'send',
  summary: 'Send now: confirm the mailing and send it in the foreground (--now; without it, a dry run)',
  description: [
    'With --now the mailing is confirmed (what is sent is frozen) and sent until it completes; Ctrl-C',
    'stops it after the messages in flight, and `mailings start` resumes it. Without --now nothing is',
    'sent: the steps of Confirm are printed, with where the messages would go.',
  ].join('\n'),
  arguments: MAILING_FILE_ARGUMENT,
  options: {
    now: { type: 'boolean', description: 'send now (without it: show what would be sent, send nothing)' },
    again: { type: 'boolean', description: 'send it although the same mailing was already sent as another file or from another place (already-sent)' },
    json: { type: 'boolean', description: 'print the final statistics as JSON (as `mailings status --json`)' },
    ...SEND_OPTIONS,
  },
  env: ['MAILINGS_SMTP_URL', 'MAILINGS_SMTP_PASSWORD', 'MAILINGS_SOFT_BOUNCE_LIMIT'],
  exitCodes: [
    [EXIT.ok, 'completed (with --now); without --now: the mailing has no errors and could be sent'],
    [EXIT.failed, 'the mailing has errors, is no draft, or its send stopped for a fault (authentication, too many errors)'],
    usageExit('--smtp or MAILINGS_SMTP_URL for a mailing whose transport is outbox'),
    interruptExit('the messages in flight finished, the mailing is stopped, `mailings start` resumes it'),
  ],
  examples: ['mailings send newsletter.mailing.yaml', 'mailings send newsletter.mailing.yaml --now --smtp smtp://news@mail.example.com:587'],
  async run({ values, positionals, lang }, io) {
    const file = path.resolve(io.cwd, positionals[0]);
    const ctx = sendContextFromCli(values, io, `mailings send (pid ${process.pid})`, file);
    const model = await buildConfirmModel(file, { stateRoot: ctx.stateRoot, smtpConfigured: ctx.smtp !== undefined });
    if (transportIsCertain(model)) refuseSmtpForOutbox(model.mailing, ctx, values, io);
    if (!values.now) {
      const errors = model.diagnostics.filter((d) => d.severity === 'error').length;
      const f = formatterFor(lang, model.mailing.timezone);
      for (const step of model.steps) io.stdout.write(`${step.complete ? 'ok ' : 'ERR'} ${step.step}: ${step.facts.map((fact) => summaryLine(fact, f)).join('; ')}\n`);
      if (errors > 0) {
        io.stderr.write(`mailings send: ${errors} ${errors === 1 ? 'error' : 'errors'} to fix first (mailings validate ${positionals[0]}); nothing sent\n`);
        return EXIT.failed;
      }
      if (model.state.status !== 'draft') {
        io.stderr.write(`${cliWords(lang).notDraft(statusWord(model.state.status, formatterFor(lang)), positionals[0])}\n`);
        return EXIT.failed;
      }
      const count = model.mailing.targetList?.recipients.length ?? 0;
      // No errors: a mailing with transport smtp has its server (else transport-unconfigured).
      const where = viaDestination(destinationOf(model.mailing, ctx), io.cwd, false, cliWords(lang));
      io.stderr.write(`${cliWords(lang).dryRun(positionals[0], count, where)}\n`);
      return EXIT.ok;
    }
    try {
      return await runInForeground(io, 'send', Boolean(values.json), (options) => sendNow(model, ctx, { ...options, again: Boolean(values.again) }), lang);
    } catch (error) {
      const code = reportRefusal(io, 'send', error, Boolean(values.json), lang);
      if (code === undefined) throw error;
      return code;
    }
  },
});
