// The pace of the send, across the steps it touches: the send window and local-time waves (schedule
// step), quotas and per-domain rates (transport step), the recipients' time zones (target-list step),
// and whether the window, a quota or the warm-up leaves too little time to finish (`window-too-short`).
import { closest } from '../load/similar';
import type { LoadedSource } from '../load/targetList';
import { canonicalZone, TIMEZONE_COLUMN } from '../pace/waves';
import type { WindowTooShortArgs } from '../facts/diagnostics';
import type { Diagnostic, Step } from '../types';
import { diagnostic, type CheckContext } from './context';

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
    found.push(diagnostic<typeof problem.code>(problem.code, 'error', STEP_OF[problem.code], problem.args, range));
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
          { kind: 'contact', zone: value.trim(), home: ctx.timezone, ...(suggestion ? { suggestion } : {}) },
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
  const written = ((ctx.loaded.data.targetList as Record<string, { file?: unknown }[]>).include?.[source.path[2] as number]?.file ?? '') as string;
  return [
    diagnostic(
      'recipient-timezone-invalid',
      'warning',
      'targetList',
      { kind: 'rows', file: String(written).trim(), rows: invalid.slice(0, 5).map((row) => ({ line: row.line, zone: row.value })), count: invalid.length, home: ctx.timezone },
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
  const cause: WindowTooShortArgs['kind'] | undefined = sending.window ? 'window' : sending.quotas ? 'quota' : sending.warmup ? 'warmup' : undefined;
  if (!cause) return undefined;
  const days = ctx.finishWithinDays;
  const start = Date.parse(preview.startAt);
  const finish = preview.finishAt === undefined ? undefined : Date.parse(preview.finishAt);
  if (finish !== undefined && finish - start <= days * 86_400_000) return undefined;
  const args: WindowTooShortArgs = { kind: cause, recipients: loaded.targetList.recipients.length, days, ...(preview.finishAt !== undefined ? { finishAt: preview.finishAt } : { horizonDays: preview.horizonDays }) };
  return diagnostic('window-too-short', 'warning', cause === 'window' ? 'schedule' : 'transport', args, ctx.loaded.ranges.key(['sending', cause === 'quota' ? 'quota' : cause]));
}
