// The Confirm overview's lines about the pace: the window, its next opening, the waves and the
// finish estimate (schedule step); the quotas, per-domain rates and warm-up (transport step).
import type { PacePreview, SendingOptions, SendWindowSpec } from '../types';
import { perMinute } from '../load/rate';
import { describeInstant } from '../schedule/when';

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function clock(seconds: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const s = seconds % 60;
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}${s ? `:${pad(s)}` : ''}`;
}

/** "Mon–Fri 18:00–22:00, except 2026-12-25" */
export function describeWindow(window: SendWindowSpec): string {
  const days = window.days;
  let dayText: string;
  if (days.length === 7) dayText = 'every day';
  else if (days.length > 2 && days.every((day, i) => i === 0 || day === days[i - 1] + 1)) dayText = `${DAY_NAMES[days[0]]}–${DAY_NAMES[days[days.length - 1]]}`;
  else dayText = days.map((day) => DAY_NAMES[day]).join(', ');
  const whole = window.ranges.length === 1 && window.ranges[0].start === 0 && window.ranges[0].end === 86_400;
  const hours = whole ? 'all day' : window.ranges.map((range) => `${clock(range.start)}–${clock(range.end)}`).join(', ');
  return `${dayText} ${hours}${window.except.length ? `, except ${window.except.join(', ')}` : ''}`;
}

export function paceSummary(sending: SendingOptions, preview: PacePreview | undefined, zone: string, now: Date): { schedule: string[]; transport: string[] } {
  const schedule: string[] = [];
  const transport: string[] = [];
  const when = (iso: string) => describeInstant(new Date(iso), zone, now);
  if (sending.window) {
    schedule.push(`Send window: ${describeWindow(sending.window)} (${sending.localTime ? "each recipient's zone" : zone})`);
    if (preview?.nextOpening && preview.nextOpening > preview.startAt) schedule.push(`The window opens ${when(preview.nextOpening)}`);
  }
  if (preview?.waves) {
    const waves = preview.waves.map((wave) => `${wave.zone} ${wave.count}${wave.dueAt ? ` (${when(wave.dueAt)})` : ''}`);
    schedule.push(`Local time: ${waves.length === 1 ? '1 wave' : `${waves.length} waves`}: ${waves.join('; ')}`);
    const home = [preview.withoutZone ? `${preview.withoutZone} without a time zone` : '', preview.invalidZone ? `${preview.invalidZone} with an invalid one` : ''].filter(Boolean);
    if (home.length) schedule.push(`Sent at the local time of ${zone}: ${home.join(' and ')}`);
  }
  // A rate alone matters once it stretches the send beyond a minute.
  const long = preview?.finishAt !== undefined && Date.parse(preview.finishAt) - Date.parse(preview.startAt) > 60_000;
  if (preview && (sending.window || sending.quotas || sending.warmup || long)) {
    schedule.push(preview.finishAt ? `Finishes about ${when(preview.finishAt)}` : `Does not finish within ${preview.horizonDays} days at this pace`);
  }
  if (sending.quotas) transport.push(`Quota: ${sending.quotas.map((quota) => quota.text).join(', ')} (shared by every mailing sent through the SMTP server)`);
  if (sending.perDomain) {
    const rates = sending.perDomain.map((entry) => `${entry.domain === '*' ? 'every other domain' : entry.domain} ${Math.round(perMinute(entry.rate) * 100) / 100}/minute`);
    transport.push(`Per domain: ${rates.join(', ')}`);
  }
  if (sending.warmup) transport.push(`Warm-up: ${sending.warmup.start} on the server's first day, ×${sending.warmup.growth} each day after`);
  return { schedule, transport };
}
