// `mailings schedule <file> --at "<when>"`: confirm a mailing to be sent at a moment ("tomorrow 19:00",
// "volgende vrijdag 20:00", ISO 8601), or at the file's `schedule:`. Prints the moment in words and the
// working-hours advice; refuses (exit 1) with the state when the mailing is no draft, or with its errors.
import * as path from 'node:path';
import { buildConfirmModel, MailingActionError, planSchedule, scheduleMailing, type WhenLocale } from '../../core/index';
import { defineCommand, interruptExit, usageExit } from '../command';
import { EXIT } from '../io';
import { diagnosticLine, formatterFor, refusalText } from '../text';
import { refuseSmtpForOutbox, SEND_OPTIONS, sendContextFromCli } from '../smtpOptions';
import { MAILING_FILE_ARGUMENT, transportIsCertain } from './mailingArgument';

export const schedule = defineCommand({
  name: 'schedule',
  summary: 'Schedule: confirm a mailing to be sent at a moment ("tomorrow 19:00", "2026-12-04 19:00")',
  description: [
    'The moment is read in English or Dutch ("volgende vrijdag 20:00"), or as ISO 8601, in the mailing\'s',
    'timezone. A scheduler must run then: VS Code with the folder open, or `mailings run`.',
  ].join('\n'),
  arguments: MAILING_FILE_ARGUMENT,
  options: {
    at: { type: 'string', value: 'WHEN', description: "the moment to send (default: the file's `schedule:`)" },
    again: { type: 'boolean', description: 'schedule it although the same mailing was already sent as another file or from another place (already-sent)' },
    json: { type: 'boolean', description: 'print the result as JSON: scheduled, status, scheduledAt, description, total, warnings' },
    ...SEND_OPTIONS,
  },
  env: ['MAILINGS_SMTP_URL'],
  exitCodes: [
    [EXIT.ok, 'scheduled'],
    [EXIT.failed, 'refused: the moment cannot be understood or is past, the mailing has errors or is no draft'],
    usageExit('--lang other than en or nl; --smtp or MAILINGS_SMTP_URL for a mailing whose transport is outbox'),
    interruptExit(),
  ],
  examples: ['mailings schedule newsletter.mailing.yaml --at "next friday 19:00"', 'mailings schedule newsletter.mailing.yaml --at "volgende vrijdag 20:00" --lang nl'],
  async run({ values, positionals, lang }, io) {
    const locale: WhenLocale = lang;
    const file = path.resolve(io.cwd, positionals[0]);
    const ctx = sendContextFromCli(values, io, `mailings schedule (pid ${process.pid})`, file);

    const model = await buildConfirmModel(file, { stateRoot: ctx.stateRoot, smtpConfigured: ctx.smtp !== undefined });
    if (transportIsCertain(model)) refuseSmtpForOutbox(model.mailing, ctx, values, io);
    const now = new Date();
    const plan = planSchedule(model, values.at, { now, locale, again: Boolean(values.again) });
    if (!plan.ok) {
      io.stderr.write(`mailings schedule: ${plan.message}\n`);
      if (plan.reason === 'errors') {
        for (const d of model.diagnostics.filter((d) => d.severity === 'error')) {
          io.stderr.write(`${diagnosticLine(d, file, io.cwd, formatterFor(lang, model.mailing.timezone))}\n`);
        }
      }
      if (values.json) io.stdout.write(JSON.stringify({ scheduled: false, status: plan.status, reason: plan.reason, message: plan.message }, null, 2) + '\n');
      return EXIT.failed;
    }
    for (const warning of plan.warnings) io.stderr.write(`warning ${warning.code}: ${warning.message}\n`);

    const at = plan.at;
    let statistics;
    try {
      statistics = await scheduleMailing(model, ctx, at, { again: Boolean(values.again) });
    } catch (error) {
      if (error instanceof MailingActionError) {
        const message = refusalText(error.refusal, error.file, io.cwd, formatterFor(lang, model.mailing.timezone));
        io.stderr.write(`mailings schedule: ${message}\n`);
        if (values.json) io.stdout.write(JSON.stringify({ scheduled: false, status: error.status, reason: error.code, message }, null, 2) + '\n');
        return EXIT.failed;
      }
      throw error;
    }
    if (values.json) {
      const json = { scheduled: true, status: statistics.status, scheduledAt: at.toISOString(), description: plan.description, total: statistics.total, warnings: plan.warnings };
      io.stdout.write(JSON.stringify(json, null, 2) + '\n');
    } else {
      const label = locale === 'nl' ? 'Gepland voor verzenden om' : 'Scheduled to send at';
      const recipients = locale === 'nl' ? `${statistics.total} ontvangers` : `${statistics.total} recipient${statistics.total === 1 ? '' : 's'}`;
      io.stdout.write(`${label} ${plan.description} (${at.toISOString()}), ${recipients}\n`);
      io.stderr.write(
        locale === 'nl'
          ? 'Op dat moment moet een planner draaien: VS Code met deze map open, of `mailings run`.\n'
          : 'A scheduler must be running then: VS Code with this folder open, or `mailings run`.\n',
      );
    }
    return EXIT.ok;
  },
});
