// What the faces show before they call the engine's scheduleMailing: the when-expression resolved,
// in words, with the gentle working-hours advice of the seed ("to not overload your servers during
// working hours, pick an evening time") — or a clear refusal that names the mailing's state.
import type { ConfirmModel, DiagnosticCode, MailingStatus } from '../types';
import { whenProblemText } from '../facts/diagnostics';
import { Formatter } from '../facts/format';
import { renderRefusal } from '../facts/refusals';
import { renderDiagnostic } from '../facts/render';
import { DEFAULT_WORKING_HOURS, isInWorkingHours, resolveWhen, type WhenLocale, type WorkingHours } from '../time/when';

/** "Set now" puts the current minute in the field; a moment this little in the past still counts as now. */
export const NOW_TOLERANCE_MS = 60_000;

export interface ScheduleWarning {
  code: DiagnosticCode;
  severity: 'warning';
  message: string;
}

/** Why a schedule is refused: the state, errors in the mailing, or the moment itself. */
export type ScheduleRefusalReason = 'state' | 'errors' | 'no-time' | 'schedule-invalid' | 'schedule-past';

export type SchedulePlan =
  | { ok: true; at: Date; description: string; warnings: ScheduleWarning[]; assumedTime?: string }
  | { ok: false; reason: ScheduleRefusalReason; message: string; status: MailingStatus };

export interface PlanScheduleOptions {
  now: Date;
  /** The window in which the working-hours warning is given (default Mon–Fri 09:00–17:00). */
  workingHours?: WorkingHours;
  locale?: WhenLocale;
  /** The user chose to send a mailing already sent elsewhere again (`already-sent` does not block). */
  again?: boolean;
}

const DAY_NAMES: Record<WhenLocale, string[]> = {
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
  nl: ['zo', 'ma', 'di', 'wo', 'do', 'vr', 'za'],
};

/** "Mon–Fri 09:00–17:00" (Dutch: "ma–vr 09:00–17:00") */
export function describeWorkingHours(window: WorkingHours, locale: WhenLocale = 'en'): string {
  const names = DAY_NAMES[locale];
  const days = [...window.days].sort((a, b) => a - b);
  const contiguous = days.every((day, i) => i === 0 || day === days[i - 1] + 1);
  const dayText = days.length > 2 && contiguous ? `${names[days[0]]}–${names[days[days.length - 1]]}` : days.map((d) => names[d]).join(', ');
  return `${dayText} ${window.start}–${window.end}`;
}

/**
 * Resolves `whenText` (or, when it is empty, the file's `schedule:`) for `model` and says whether the
 * mailing may be scheduled then. Only a draft without errors can be scheduled; the moment must not be
 * in the past. The engine's scheduleMailing enforces the state and errors again under its lease.
 */
export function planSchedule(model: ConfirmModel, whenText: string | undefined, options: PlanScheduleOptions): SchedulePlan {
  const status = model.state.status;
  const lang = options.locale ?? 'en';
  const nl = lang === 'nl';
  const f = new Formatter(lang, { timezone: model.mailing.timezone, now: options.now });
  const refuse = (reason: ScheduleRefusalReason, why: string): SchedulePlan => ({ ok: false, reason, message: `${nl ? 'kan niet plannen' : 'cannot schedule'}: ${why}`, status });
  if (status !== 'draft') {
    const refusal = renderRefusal({ code: 'wrong-state', action: 'schedule', status }, f);
    const when = status === 'scheduled' && model.state.scheduledAt ? ` (${f.moment(model.state.scheduledAt)})` : '';
    return { ok: false, reason: 'state', message: refusal + when, status };
  }
  const fromFile = !whenText?.trim();
  const expression = fromFile ? model.mailing.schedule : whenText;
  if (!expression?.trim()) {
    return refuse('no-time', nl ? "geen moment opgegeven (geef een moment zoals 'morgen 19:00', of zet `schedule:` in het bestand)" : "no time given (pass a time such as 'tomorrow 19:00', or set `schedule:` in the file)");
  }
  // Errors block scheduling; when a time is given here, the file's own `schedule:` problems do not.
  const errors = model.diagnostics.filter((d) => d.severity === 'error' && (fromFile || d.step !== 'schedule') && !(options.again && d.data?.overridable === 'again'));
  if (errors.length > 0) {
    const first = errors[0];
    const more = errors.length > 1 ? (nl ? ` (en nog ${f.number(errors.length - 1)})` : ` (and ${f.number(errors.length - 1)} more)`) : '';
    const head = nl ? `de mailing heeft ${f.count(errors.length, 'fout', 'fouten')}` : `the mailing has ${f.count(errors.length, 'error', 'errors')}`;
    return refuse('errors', `${head}: ${first.code}: ${renderDiagnostic(first, f)}${more}`);
  }
  const resolved = resolveWhen(expression, { timezone: model.mailing.timezone, now: options.now, locale: options.locale });
  if (!resolved.ok) return refuse('schedule-invalid', whenProblemText(resolved.problem, f));
  if (resolved.at.getTime() < options.now.getTime() - NOW_TOLERANCE_MS) {
    return refuse('schedule-past', nl ? `${resolved.description} ligt in het verleden` : `${resolved.description} is in the past`);
  }
  const warnings: ScheduleWarning[] = [];
  const window = options.workingHours ?? DEFAULT_WORKING_HOURS;
  if (isInWorkingHours(resolved.at, model.mailing.timezone, window)) {
    warnings.push({
      code: 'schedule-working-hours',
      severity: 'warning',
      message: nl
        ? `dit tijdstip valt binnen werkuren (${describeWorkingHours(window, 'nl')}); kies liever een tijdstip in de avond, zodat uw servers niet overbelast raken`
        : `this time is inside working hours (${describeWorkingHours(window)}); an evening time keeps servers from being overloaded while people work`,
    });
  }
  const plan: SchedulePlan = { ok: true, at: resolved.at, description: resolved.description, warnings };
  if (resolved.assumedTime) plan.assumedTime = resolved.assumedTime;
  return plan;
}
