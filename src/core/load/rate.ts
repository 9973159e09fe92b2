// `sending.rate`: "600/minute", "10/second", "5000/hour" (also /s, /sec, /min, /m, /h).
import type { RateProblemArgs } from '../facts/diagnostics';
import type { Rate } from '../types';

const UNITS: Record<string, Rate['per']> = { second: 'second', sec: 'second', s: 'second', minute: 'minute', min: 'minute', m: 'minute', hour: 'hour', h: 'hour' };
const FORM = /^\s*(\d{1,9}(?:\.\d{1,6})?)\s*\/\s*([a-z]{1,6})\s*$/i;

export type RateParse = { ok: true; rate: Rate } | { ok: false; problem: RateProblemArgs };

export function parseRate(text: string): RateParse {
  const match = FORM.exec(text);
  const per = match ? UNITS[match[2].toLowerCase()] : undefined;
  if (!match || !per) return { ok: false, problem: { kind: 'form', written: text.trim() } };
  const count = Number(match[1]);
  if (!(count > 0)) return { ok: false, problem: { kind: 'zero', written: text.trim() } };
  return { ok: true, rate: { count, per } };
}

/** Messages per minute of a rate (for summaries). */
export function perMinute(rate: Rate): number {
  return rate.per === 'second' ? rate.count * 60 : rate.per === 'hour' ? rate.count / 60 : rate.count;
}
