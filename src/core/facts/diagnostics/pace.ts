// The pace of a send: the send window, quotas, per-domain rates (load/sendingPace.ts), the recipients'
// time zones with `localTime`, and whether the pace lets the send finish in time (checks/pace.ts).
import type { CodeEntry } from '../entry';
import type { Formatter } from '../format';
import type { RateProblemArgs } from './steps';

/** A `sending.window` value that cannot be read. */
export type WindowProblemArgs =
  | { kind: 'days'; text: string }
  | { kind: 'no-days' }
  | { kind: 'hours'; text: string }
  | { kind: 'empty-range'; text: string }
  | { kind: 'no-hours' }
  | { kind: 'except'; text: string };

/** A `sending.quota` entry that cannot be read. */
export type QuotaProblemArgs = { kind: 'form'; written: string } | { kind: 'zero'; written: string } | { kind: 'too-long'; written: string };

/** A `sending.perDomain` key that is no domain, or a rate of it that cannot be read (`domain` `*`: every other domain). */
export type PerDomainProblemArgs = { kind: 'domain'; key: string } | { kind: 'rate'; domain: string; problem: RateProblemArgs };

/** With `localTime`: an inline contact's or a CSV's rows whose `timezone` is no IANA zone; `home` is the mailing's zone they are sent in. */
export type RecipientTimezoneArgs =
  | { kind: 'contact'; zone: string; home: string; suggestion?: string }
  | { kind: 'rows'; file: string; rows: { line: number; zone: string }[]; count: number; home: string };

/** What keeps the send from finishing within `days`: it would finish about `finishAt`, or not within `horizonDays`. */
export type WindowTooShortArgs = { kind: 'window' | 'quota' | 'warmup'; recipients: number; days: number } & ({ finishAt: string } | { horizonDays: number });

function rateProblem(a: RateProblemArgs, f: Formatter): string {
  if (f.lang === 'nl') {
    return a.kind === 'form'
      ? `snelheid ${f.quote(a.written)} is niet te begrijpen: schrijf \`N/second\`, \`N/minute\` of \`N/hour\`, bijvoorbeeld \`100/minute\``
      : `snelheid ${f.quote(a.written)} moet meer dan 0 berichten zijn`;
  }
  return a.kind === 'form'
    ? `rate ${f.quote(a.written)} is not understood: write \`N/second\`, \`N/minute\` or \`N/hour\`, e.g. \`100/minute\``
    : `rate ${f.quote(a.written)} must be more than 0 messages`;
}

/** "row 4 `Mars/Base`, row 9 `CET+1` and 3 more" (nl: "rij 4 …, en nog 3"). */
function zoneRows(a: { rows: { line: number; zone: string }[]; count: number }, f: Formatter): string {
  const nl = f.lang === 'nl';
  const shown = a.rows.map((row) => `${nl ? 'rij' : 'row'} ${row.line} ${f.quote(row.zone, 40)}`);
  const rest = a.count - a.rows.length;
  const list = shown.join(', ');
  if (rest <= 0) return list;
  return nl ? `${list} en nog ${f.number(rest)}` : `${list} and ${f.number(rest)} more`;
}

const CAUSE = {
  window: { en: 'the send window', nl: 'het verzendvenster' },
  quota: { en: 'the quota', nl: 'het quotum' },
  warmup: { en: 'the warm-up', nl: 'de opwarmperiode' },
};

export const PACE_DIAGNOSTICS = {
  'window-invalid': {
    step: 'schedule',
    severity: 'error',
    when: 'a `sending.window` day, hours range or `except` date cannot be read (on that value)',
    en: (a: WindowProblemArgs, f: Formatter) => {
      switch (a.kind) {
        case 'days':
          return `${f.quote(a.text)} is not a day or a range of days: write e.g. \`mon-fri\`, \`sat\` or \`weekend\``;
        case 'no-days':
          return 'The window has no days: name at least one, e.g. `mon-fri`';
        case 'hours':
          return `Hours ${f.quote(a.text)} are not understood: write a range of times of day, e.g. \`"18:00-22:00"\` (HH:MM, to 24:00)`;
        case 'empty-range':
          return `Hours ${f.quote(a.text)} start and end at the same time: the range is empty`;
        case 'no-hours':
          return 'The window has no hours: give at least one range, e.g. `"18:00-22:00"`';
        case 'except':
          return `${f.quote(a.text)} is not a date: write it as YYYY-MM-DD, e.g. \`2026-12-25\``;
      }
    },
    nl: (a: WindowProblemArgs, f: Formatter) => {
      switch (a.kind) {
        case 'days':
          return `${f.quote(a.text)} is geen dag of reeks dagen: schrijf bijvoorbeeld \`ma-vr\`, \`za\` of \`weekend\``;
        case 'no-days':
          return 'Het verzendvenster heeft geen dagen: noem er ten minste één, bijvoorbeeld `ma-vr`';
        case 'hours':
          return `De uren ${f.quote(a.text)} zijn niet te begrijpen: schrijf een reeks tijden van de dag, bijvoorbeeld \`"18:00-22:00"\` (UU:MM, tot 24:00)`;
        case 'empty-range':
          return `De uren ${f.quote(a.text)} beginnen en eindigen op hetzelfde tijdstip: de reeks is leeg`;
        case 'no-hours':
          return 'Het verzendvenster heeft geen uren: geef ten minste één reeks, bijvoorbeeld `"18:00-22:00"`';
        case 'except':
          return `${f.quote(a.text)} is geen datum: schrijf die als JJJJ-MM-DD, bijvoorbeeld \`2026-12-25\``;
      }
    },
  } satisfies CodeEntry<WindowProblemArgs>,
  'window-too-short': {
    step: 'schedule',
    severity: 'warning',
    when: 'the window, a quota or the warm-up keeps the send from finishing within the days allowed (default 7); under schedule for the window, transport for a quota or the warm-up',
    en: (a: WindowTooShortArgs, f: Formatter) =>
      `At the configured pace ${CAUSE[a.kind].en} keeps the send of ${f.count(a.recipients, 'recipient', 'recipients')} from finishing within ${f.count(a.days, 'day', 'days')}: it would take ${'finishAt' in a ? `until about ${f.moment(a.finishAt)}` : `more than ${f.count(a.horizonDays, 'day', 'days')}`}`,
    nl: (a: WindowTooShortArgs, f: Formatter) =>
      `In het ingestelde tempo voorkomt ${CAUSE[a.kind].nl} dat het verzenden aan ${f.count(a.recipients, 'ontvanger', 'ontvangers')} binnen ${f.count(a.days, 'dag', 'dagen')} klaar is: het zou ${'finishAt' in a ? `duren tot ongeveer ${f.moment(a.finishAt)}` : `meer dan ${f.count(a.horizonDays, 'dag', 'dagen')} duren`}`,
  } satisfies CodeEntry<WindowTooShortArgs>,
  'quota-invalid': {
    step: 'transport',
    severity: 'error',
    when: 'a `sending.quota` entry is not `N/second` … `N/day` (or longer than a day)',
    en: (a: QuotaProblemArgs, f: Formatter) => {
      switch (a.kind) {
        case 'form':
          return `Quota ${f.quote(a.written)} is not understood: write \`N/day\`, \`N/hour\`, \`N/minute\` or \`N/second\` (or a number of them, \`300/15min\`), e.g. \`50000/day\``;
        case 'zero':
          return `Quota ${f.quote(a.written)} allows no message at all: give at least 1, or leave \`quota\` out`;
        case 'too-long':
          return `Quota ${f.quote(a.written)} looks back more than a day: the longest window is \`N/day\``;
      }
    },
    nl: (a: QuotaProblemArgs, f: Formatter) => {
      switch (a.kind) {
        case 'form':
          return `Quotum ${f.quote(a.written)} is niet te begrijpen: schrijf \`N/day\`, \`N/hour\`, \`N/minute\` of \`N/second\` (of een aantal daarvan, \`300/15min\`), bijvoorbeeld \`50000/day\``;
        case 'zero':
          return `Quotum ${f.quote(a.written)} staat geen enkel bericht toe: geef ten minste 1, of laat \`quota\` weg`;
        case 'too-long':
          return `Quotum ${f.quote(a.written)} kijkt verder terug dan een dag: het langste venster is \`N/day\``;
      }
    },
  } satisfies CodeEntry<QuotaProblemArgs>,
  'per-domain-invalid': {
    step: 'transport',
    severity: 'error',
    when: 'a `sending.perDomain` key is no domain name, or its rate cannot be read',
    en: (a: PerDomainProblemArgs, f: Formatter) =>
      a.kind === 'domain'
        ? `${f.quote(a.key)} is not a domain name: write one such as \`gmail.com\`, or \`"*"\` for every other domain`
        : `${a.domain === '*' ? 'Every other domain' : f.clip(a.domain)}: ${rateProblem(a.problem, f)}`,
    nl: (a: PerDomainProblemArgs, f: Formatter) =>
      a.kind === 'domain'
        ? `${f.quote(a.key)} is geen domeinnaam: schrijf er een zoals \`gmail.com\`, of \`"*"\` voor elk ander domein`
        : `${a.domain === '*' ? 'Elk ander domein' : f.clip(a.domain)}: ${rateProblem(a.problem, f)}`,
  } satisfies CodeEntry<PerDomainProblemArgs>,
  'recipient-timezone-invalid': {
    step: 'targetList',
    severity: 'warning',
    when: "with `localTime`: rows whose `timezone` is no IANA zone (with the CSV rows); sent in the mailing's zone",
    en: (a: RecipientTimezoneArgs, f: Formatter) =>
      a.kind === 'contact'
        ? `Time zone ${f.quote(a.zone)} is not an IANA zone: this contact is sent at the local time of ${a.home}${a.suggestion ? `; did you mean ${a.suggestion}?` : ''}`
        : `${f.clip(a.file)}: ${f.count(a.count, 'row has a time zone', 'rows have a time zone')} that is not an IANA zone (${zoneRows(a, f)}); ${a.count === 1 ? 'it is' : 'they are'} sent at the local time of ${a.home}`,
    nl: (a: RecipientTimezoneArgs, f: Formatter) =>
      a.kind === 'contact'
        ? `Tijdzone ${f.quote(a.zone)} is geen IANA-zone: dit contact krijgt de mailing op de lokale tijd van ${a.home}${a.suggestion ? `; bedoelt u ${a.suggestion}?` : ''}`
        : `${f.clip(a.file)}: ${f.count(a.count, 'rij heeft een tijdzone', 'rijen hebben een tijdzone')} die geen IANA-zone is (${zoneRows(a, f)}); ${a.count === 1 ? 'die krijgt' : 'die krijgen'} de mailing op de lokale tijd van ${a.home}`,
  } satisfies CodeEntry<RecipientTimezoneArgs>,
};
