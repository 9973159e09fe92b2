// Numbers and moments in the UI language (English or Dutch).
import * as vscode from 'vscode';
import { describeInstant, type WhenLocale } from '../core/index';

export function whenLocale(): WhenLocale {
  return vscode.env.language.toLowerCase().startsWith('nl') ? 'nl' : 'en';
}

const counts = new Map<string, Intl.NumberFormat>();

/** 1,234 (en) or 1.234 (nl). */
/** "1 recipient", "37 recipients" (nl "1 ontvanger", "37 ontvangers"): the noun agrees with the count. */
export function recipientsText(value: number): string {
  return value === 1 ? vscode.l10n.t('{0} recipient', formatCount(value)) : vscode.l10n.t('{0} recipients', formatCount(value));
}

export function formatCount(value: number): string {
  const locale = whenLocale();
  let format = counts.get(locale);
  if (!format) counts.set(locale, (format = new Intl.NumberFormat(locale)));
  return format.format(value);
}

/** The machine's IANA zone, for mailings whose zone is not known yet. */
export function machineTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** "Fri 4 Dec 2026 19:00 CET, in 8 days" in the mailing's zone. */
export function describeMoment(iso: string, timezone: string = machineTimeZone()): string {
  return describeInstant(new Date(iso), timezone, new Date(), whenLocale());
}

/** "Fri 4 Dec 2026 19:00 CET": describeMoment without the distance from now, for text that is not refreshed. */
export function absoluteMoment(iso: string, timezone: string = machineTimeZone()): string {
  return describeMoment(iso, timezone).split(', ')[0];
}

const shortFormats = new Map<string, Intl.DateTimeFormat>();

const SIX_DAYS_MS = 6 * 24 * 3_600_000;

/**
 * A moment as short as a CodeLens needs it, in the mailing's zone: "Tue 20:49" within six days of
 * now, "4 Dec 19:00" later in the year, "4 Dec 2027 19:00" beyond (Dutch: "di 20:49", "4 dec
 * 19:00"). The whole moment (describeMoment) goes in the tooltip.
 */
export function shortMoment(iso: string, timezone: string = machineTimeZone(), now: Date = new Date()): string {
  const locale = whenLocale();
  const key = `${locale}\0${timezone}`;
  let format = shortFormats.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions = { timeZone: timezone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    try {
      format = new Intl.DateTimeFormat(locale, options);
    } catch {
      // A zone Intl does not know (the file's diagnostics say so): the machine's.
      format = new Intl.DateTimeFormat(locale, { ...options, timeZone: machineTimeZone() });
    }
    shortFormats.set(key, format);
  }
  const at = new Date(iso);
  const parts = (date: Date) => Object.fromEntries(format.formatToParts(date).map((part) => [part.type, part.value])) as Record<string, string>;
  const p = parts(at);
  const time = `${p.hour}:${p.minute}`;
  if (Math.abs(at.getTime() - now.getTime()) < SIX_DAYS_MS) return `${p.weekday} ${time}`;
  return p.year === parts(now).year ? `${p.day} ${p.month} ${time}` : `${p.day} ${p.month} ${p.year} ${time}`;
}
