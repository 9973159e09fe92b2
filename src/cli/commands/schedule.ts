// `mailings schedule <file> --at "<when>"`: confirm a mailing to be sent at a moment ("tomorrow 19:00",
// "volgende vrijdag 20:00", ISO 8601), or at the file's `schedule:`. Prints the moment in words and the
// working-hours advice; refuses (exit 1) with the state when the mailing is no draft, or with its errors.
import * as path from 'node:path';
import { MailingActionError, scheduleMailing } from '../../core/actions';
import { buildConfirmModel } from '../../core/confirmModel';
import { planSchedule } from '../../core/schedule/plan';
import type { WhenLocale } from '../../core/schedule/when';
import { parseCommandLine, UsageError, type CliIO, type Command } from '../io';
import { sendContextFromCli } from '../smtpOptions';

export const schedule: Command = {
  summary: 'schedule a mailing to be sent at a moment ("tomorrow 19:00", "2026-12-04 19:00")',
  usage: 'mailings schedule <file> [--at "<when>"] [--again] [--json] [--lang en|nl] [--state-dir DIR] [--smtp smtp(s)://user@host:port]',
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseCommandLine({
        args: argv,
        allowPositionals: true,
        options: {
          at: { type: 'string' },
          again: { type: 'boolean' },
          json: { type: 'boolean' },
          lang: { type: 'string' },
          'state-dir': { type: 'string' },
          smtp: { type: 'string' },
        },
      });
    const { values, positionals } = parsed;
    if (positionals.length !== 1) throw new UsageError('name one mailing file');
    if (values.lang !== undefined && values.lang !== 'en' && values.lang !== 'nl') throw new UsageError(`--lang: en or nl, not ${values.lang}`);
    const locale: WhenLocale = (values.lang as WhenLocale | undefined) ?? (/^nl/i.test(io.env.LANG ?? '') ? 'nl' : 'en');
    const file = path.resolve(io.cwd, positionals[0]);
    const ctx = sendContextFromCli(values, io, `mailings schedule (pid ${process.pid})`, file);

    const model = await buildConfirmModel(file, { stateRoot: ctx.stateRoot, smtpConfigured: ctx.smtp !== undefined });
    const now = new Date();
    const plan = planSchedule(model, values.at, { now, locale, again: Boolean(values.again) });
    if (!plan.ok) {
      io.stderr.write(`mailings schedule: ${plan.message}\n`);
      if (plan.reason === 'errors') {
        for (const d of model.diagnostics.filter((d) => d.severity === 'error')) {
          io.stderr.write(`${path.relative(io.cwd, d.file ?? file) || file}:${d.range.start.line + 1}:${d.range.start.column + 1}: error ${d.code}: ${d.message}\n`);
        }
      }
      if (values.json) io.stdout.write(JSON.stringify({ scheduled: false, status: plan.status, reason: plan.reason, message: plan.message }, null, 2) + '\n');
      return 1;
    }
    for (const warning of plan.warnings) io.stderr.write(`warning ${warning.code}: ${warning.message}\n`);

    const at = plan.at;
    let statistics;
    try {
      statistics = await scheduleMailing(model, ctx, at, { again: Boolean(values.again) });
    } catch (error) {
      if (error instanceof MailingActionError) {
        io.stderr.write(`mailings schedule: ${error.message}\n`);
        if (values.json) io.stdout.write(JSON.stringify({ scheduled: false, status: error.status, reason: error.code, message: error.message }, null, 2) + '\n');
        return 1;
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
    return 0;
  },
};
