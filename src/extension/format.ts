// Numbers and moments in the UI language (English or Dutch).
import * as vscode from 'vscode';
import { describeInstant, type WhenLocale } from '../core/schedule/when';

export function whenLocale(): WhenLocale {
  return vscode.env.language.toLowerCase().startsWith('nl') ? 'nl' : 'en';
}

const counts = new Map<string, Intl.NumberFormat>();

/** 1,234 (en) or 1.234 (nl). */
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
