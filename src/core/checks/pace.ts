// The pace of the send, across the steps it touches: the send window and local-time waves (schedule
// step), quotas and per-domain rates (transport step), the recipients' time zones (target-list step),
// and whether the window, a quota or the warm-up leaves too little time to finish (`window-too-short`).
import { closest } from '../load/similar';
import type { LoadedSource } from '../load/targetList';
import { canonicalZone, TIMEZONE_COLUMN } from '../pace/waves';
import { describeInstant } from '../schedule/when';
import type { Diagnostic, Step } from '../types';
import { diagnostic, plural, type CheckContext } from './context';

const STEP_OF = { 'window-invalid': 'schedule', 'quota-invalid': 'transport', 'per-domain-invalid': 'transport' } as const satisfies Record<string, Step>;

let zoneNames: string[] | undefined;

function knownZones(): string[] {
  zoneNames ??= typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return zoneNames;
}

export function checkPace(ctx: CheckContext): Diagnostic[] {
  const { loaded } = ctx;
  const { ranges } = loaded;
  const found: Diagnostic[] = [];
  for (const problem of loaded.pace.problems) {
    const range = problem.on === 'key' ? ranges.key(problem.path) : ranges.value(problem.path);
    found.push(diagnostic(problem.code, 'error', STEP_OF[problem.code], problem.message, range));
  }
  if (loaded.sending.localTime) for (const source of loaded.includes) found.push(...checkZones(ctx, source));
  const tooShort = checkDuration(ctx);
  if (tooShort) found.push(tooShort);
  return found;
}

/** Rows whose `timezone` is no IANA zone: sent in the mailing's zone, with a warning on their source. */
function checkZones(ctx: CheckContext, source: LoadedSource): Diagnostic[] {
  const { ranges } = ctx.loaded;
  const invalid: { line: number; value: string }[] = [];
  if (source.kind === 'inline') {
    const value = source.fields?.[TIMEZONE_COLUMN] ?? '';
    if (!source.outcome && value.trim() && !canonicalZone(value)) {
      const suggestion = closest(value.trim(), knownZones());
      return [
        diagnostic(
          'recipient-timezone-invalid',
          'warning',
          'targetList',
          `Time zone \`${value.trim()}\` is not an IANA zone: this contact is sent at the local time of ${ctx.timezone}${suggestion ? `; did you mean ${suggestion}?` : ''}`,
          ranges.value([...source.path, TIMEZONE_COLUMN]),
          suggestion ? { data: { suggestion } } : {},
        ),
      ];
    }
    return [];
  }
  const table = source.table;
  if (!table || source.problem) return [];
  for (let k = 0; k < table.recipients.length; k++) {
    const value = table.recipients[k].fields[TIMEZONE_COLUMN] ?? '';
    if (value.trim() && !canonicalZone(value)) invalid.push({ line: table.lines[k], value: value.trim() });
  }
  if (invalid.length === 0) return [];
  const shown = invalid.slice(0, 5).map((row) => `${row.line} \`${row.value}\``);
  const more = invalid.length > 5 ? ` and ${invalid.length - 5} more` : '';
  const written = ((ctx.loaded.data.targetList as Record<string, { file?: unknown }[]>).include?.[source.path[2] as number]?.file ?? '') as string;
  return [
    diagnostic(
      'recipient-timezone-invalid',
      'warning',
      'targetList',
      `${String(written).trim()}: ${plural(invalid.length, 'row has a time zone', 'rows have a time zone')} that is not an IANA zone (${invalid.length === 1 ? 'row' : 'rows'} ${shown.join(', ')}${more}); ${invalid.length === 1 ? 'it is' : 'they are'} sent at the local time of ${ctx.timezone}`,
      ranges.value([...source.path, 'file']),
    ),
  ];
}

/** `window-too-short`: the window, a quota or the warm-up keeps the send from finishing within the days allowed. */
function checkDuration(ctx: CheckContext): Diagnostic | undefined {
  const { loaded } = ctx;
  const preview = ctx.pace;
  const { sending } = loaded;
  if (!preview || loaded.targetList.recipients.length === 0) return undefined;
  const cause = sending.window ? 'window' : sending.quotas ? 'quota' : sending.warmup ? 'warmup' : undefined;
  if (!cause) return undefined;
  const days = ctx.finishWithinDays;
  const start = Date.parse(preview.startAt);
  const finish = preview.finishAt === undefined ? undefined : Date.parse(preview.finishAt);
  if (finish !== undefined && finish - start <= days * 86_400_000) return undefined;
  const what = { window: 'the send window', quota: 'the quota', warmup: 'the warm-up' }[cause];
  const until = finish === undefined ? `more than ${preview.horizonDays} days` : `until about ${describeInstant(new Date(finish), ctx.timezone, ctx.now)}`;
  const message = `At the configured pace ${what} keeps the send of ${plural(loaded.targetList.recipients.length, 'recipient')} from finishing within ${plural(days, 'day')}: it would take ${until}`;
  return diagnostic('window-too-short', 'warning', cause === 'window' ? 'schedule' : 'transport', message, ctx.loaded.ranges.key(['sending', cause === 'quota' ? 'quota' : cause]));
}
