// The test, schedule, transport and state steps.
import type { MailingStatus } from '../../types';
import type { CodeEntry } from '../entry';
import type { Formatter } from '../format';

/** Why a when-expression was not understood (schedule/when.ts). */
export type WhenProblemArgs =
  | { kind: 'zone'; zone: string }
  | { kind: 'empty' }
  | { kind: 'not-understood'; text: string }
  | { kind: 'too-long'; text: string; length: number }
  | { kind: 'several'; text: string; moments: string[] }
  | { kind: 'leftover'; text: string; leftover: string }
  | { kind: 'period'; text: string };

const WHEN_HINT = { en: "try 'tomorrow 19:00', 'next friday 20:00' or '2026-12-04 19:00'", nl: "probeer 'morgen 19:00', 'volgende vrijdag 20:00' of '2026-12-04 19:00'" };

export function whenProblemText(a: WhenProblemArgs, f: Formatter): string {
  const q = (text: string) => f.quote(text);
  if (f.lang === 'nl') {
    switch (a.kind) {
      case 'zone':
        return `onbekende tijdzone ${q(a.zone)}: gebruik een IANA-naam zoals Europe/Amsterdam`;
      case 'empty':
        return `geen moment opgegeven; ${WHEN_HINT.nl}`;
      case 'not-understood':
        return `${q(a.text)} is niet te begrijpen als moment; ${WHEN_HINT.nl}`;
      case 'too-long':
        return `${q(a.text)} is te lang voor een moment (${f.count(a.length, 'teken', 'tekens')}); ${WHEN_HINT.nl}`;
      case 'several':
        return `${q(a.text)} noemt meer dan één moment (${a.moments.map(q).join(', ')}); geef er één`;
      case 'leftover':
        return `${q(a.leftover)} in ${q(a.text)} is niet te begrijpen; ${WHEN_HINT.nl}`;
      case 'period':
        return `${q(a.text)} is een periode, geen moment; geef het begin ervan`;
    }
  }
  switch (a.kind) {
    case 'zone':
      return `unknown time zone ${q(a.zone)}: use an IANA name such as Europe/Amsterdam`;
    case 'empty':
      return `no moment given; ${WHEN_HINT.en}`;
    case 'not-understood':
      return `cannot understand ${q(a.text)} as a moment; ${WHEN_HINT.en}`;
    case 'too-long':
      return `${q(a.text)} is too long to be a moment (${f.count(a.length, 'character', 'characters')}); ${WHEN_HINT.en}`;
    case 'several':
      return `${q(a.text)} names more than one moment (${a.moments.map(q).join(', ')}); give one`;
    case 'leftover':
      return `cannot understand ${q(a.leftover)} in ${q(a.text)}; ${WHEN_HINT.en}`;
    case 'period':
      return `${q(a.text)} is a period, not a moment; give its start`;
  }
}

export type RateProblemArgs = { kind: 'form'; written: string } | { kind: 'zero'; written: string };

/** The status words of a confirmed mailing in the `changed-since-confirm` message. */
type Confirmed = Exclude<MailingStatus, 'draft'>;

const CHANGED_EN: Record<Confirmed, string> = {
  scheduled: 'it was scheduled',
  missed: 'it was scheduled',
  sending: 'it started sending',
  waiting: 'it started sending',
  stopped: 'it was started',
  completed: 'it was sent',
};
const CHANGED_NL: Record<Confirmed, string> = {
  scheduled: 'het inplannen',
  missed: 'het inplannen',
  sending: 'het begin van het verzenden',
  waiting: 'het begin van het verzenden',
  stopped: 'het starten',
  completed: 'het verzenden',
};

export interface AlreadySentArgs {
  status: Confirmed;
  /** The earlier mailing file, relative to this one's folder. */
  file: string;
  stateDir: string;
  confirmedAt: string;
  scheduledAt?: string;
  overlap: number;
  total: number;
}

export const STEP_DIAGNOSTICS = {
  'test-not-sent': {
    step: 'test',
    severity: 'error',
    when: 'no test was ever sent of this mailing',
    minimum: true,
    en: () => 'No test was sent: send a test and check it before Send now or Schedule',
    nl: () => 'Er is nog geen test verzonden: verzend een test en controleer die voordat u Nu verzenden of Plannen kiest',
  } satisfies CodeEntry<Record<string, never>>,
  'test-outdated': {
    step: 'test',
    severity: 'error',
    when: 'subject, content, From or attachments changed since the last test',
    minimum: true,
    en: (a: { at: string; to: string[] }, f: Formatter) => `Changed since the last test (${f.moment(a.at)}, to ${a.to.length ? f.list(a.to) : 'nobody'}): send a new test`,
    nl: (a: { at: string; to: string[] }, f: Formatter) => `Gewijzigd sinds de laatste test (${f.moment(a.at)}, aan ${a.to.length ? f.list(a.to) : 'niemand'}): verzend een nieuwe test`,
  } satisfies CodeEntry<{ at: string; to: string[] }>,
  'test-recipients-missing': {
    step: 'test',
    severity: 'warning',
    when: 'no `test.recipients` to send a test to',
    en: () => 'No test recipients: add `test: recipients: [you@example.com]` to send yourself a test',
    nl: () => 'Geen testontvangers: voeg `test: recipients: [u@voorbeeld.nl]` toe om uzelf een test te sturen',
  } satisfies CodeEntry<Record<string, never>>,
  'schedule-invalid': {
    step: 'schedule',
    severity: 'error',
    when: '`schedule` cannot be understood',
    minimum: true,
    en: (a: WhenProblemArgs, f: Formatter) => `Schedule: ${capitalize(whenProblemText(a, f))}`,
    nl: (a: WhenProblemArgs, f: Formatter) => `Planning: ${capitalize(whenProblemText(a, f))}`,
  } satisfies CodeEntry<WhenProblemArgs>,
  'schedule-past': {
    step: 'schedule',
    severity: 'error',
    when: '`schedule` resolves to a moment in the past',
    minimum: true,
    en: (a: { expression: string; at: string }, f: Formatter) => `Schedule ${f.quote(a.expression)} is in the past (${f.moment(a.at)}): pick a later moment`,
    nl: (a: { expression: string; at: string }, f: Formatter) => `Planning ${f.quote(a.expression)} ligt in het verleden (${f.moment(a.at)}): kies een later moment`,
  } satisfies CodeEntry<{ expression: string; at: string }>,
  'schedule-working-hours': {
    step: 'schedule',
    severity: 'warning',
    when: 'scheduled inside working hours: an evening spares the servers',
    en: (a: { at: string }, f: Formatter) => `Scheduled inside working hours (${f.moment(a.at)}): an evening time spares the mail servers`,
    nl: (a: { at: string }, f: Formatter) => `Gepland binnen werkuren (${f.moment(a.at)}): kies een tijdstip in de avond, zodat uw servers niet overbelast raken`,
  } satisfies CodeEntry<{ at: string }>,
  'timezone-invalid': {
    step: 'schedule',
    severity: 'error',
    when: '`timezone` is no IANA zone (with the nearest one)',
    en: (a: { zone: string; suggestion?: string }, f: Formatter) =>
      `Unknown time zone ${f.quote(a.zone)}: use an IANA name such as Europe/Amsterdam${a.suggestion ? `; did you mean ${a.suggestion}?` : ''}`,
    nl: (a: { zone: string; suggestion?: string }, f: Formatter) =>
      `Onbekende tijdzone ${f.quote(a.zone)}: gebruik een IANA-naam zoals Europe/Amsterdam${a.suggestion ? `; bedoelt u ${a.suggestion}?` : ''}`,
  } satisfies CodeEntry<{ zone: string; suggestion?: string }>,
  'transport-unconfigured': {
    step: 'transport',
    severity: 'error',
    when: '`transport: smtp` but no SMTP host is configured',
    minimum: true,
    en: () => 'Transport is smtp but no SMTP server is configured: set the SMTP host in the settings (CLI: --smtp or MAILINGS_SMTP_URL), or use `transport: outbox`',
    nl: () => 'Het transport is smtp, maar er is geen SMTP-server ingesteld: stel de SMTP-host in bij de instellingen (CLI: --smtp of MAILINGS_SMTP_URL), of gebruik `transport: outbox`',
  } satisfies CodeEntry<Record<string, never>>,
  'rate-invalid': {
    step: 'transport',
    severity: 'error',
    when: '`sending.rate` is not `N/second`, `N/minute` or `N/hour`',
    en: (a: RateProblemArgs, f: Formatter) =>
      a.kind === 'form'
        ? `Rate ${f.quote(a.written)} is not understood: write \`N/second\`, \`N/minute\` or \`N/hour\`, e.g. \`600/minute\``
        : `Rate ${f.quote(a.written)} must be more than 0 messages; leave \`rate\` out for no cap`,
    nl: (a: RateProblemArgs, f: Formatter) =>
      a.kind === 'form'
        ? `Snelheid ${f.quote(a.written)} is niet te begrijpen: schrijf \`N/second\`, \`N/minute\` of \`N/hour\`, bijvoorbeeld \`600/minute\``
        : `Snelheid ${f.quote(a.written)} moet meer dan 0 berichten zijn; laat \`rate\` weg voor geen limiet`,
  } satisfies CodeEntry<RateProblemArgs>,
  'changed-since-confirm': {
    step: 'state',
    severity: 'warning',
    when: 'the file changed after it was scheduled or started',
    minimum: true,
    en: (a: { status: Confirmed }) =>
      `Changed since ${CHANGED_EN[a.status]}: the confirmed version is what is sent; ${a.status === 'completed' ? 'to send the new version, copy the file into a new mailing' : 'to send this version instead, stop it and confirm again'}`,
    nl: (a: { status: Confirmed }) =>
      `Gewijzigd sinds ${CHANGED_NL[a.status]}: de bevestigde versie wordt verzonden; ${a.status === 'completed' ? 'kopieer het bestand naar een nieuwe mailing om de nieuwe versie te verzenden' : 'stop de mailing en bevestig opnieuw om deze versie te verzenden'}`,
  } satisfies CodeEntry<{ status: Confirmed }>,
  'state-unreadable': {
    step: 'state',
    severity: 'error',
    when: "the mailing's send state (its journal, or the archive a compacted journal names, in `.mailings/mailings/<id>/`) exists but cannot be read: who was sent cannot be told",
    en: (a: { detail: string }, f: Formatter) =>
      `The send state of this mailing cannot be read (${f.clip(a.detail, 300)}): who was already sent cannot be told, so nothing is sent until it can be read`,
    nl: (a: { detail: string }, f: Formatter) =>
      `De verzendstatus van deze mailing kan niet worden gelezen (${f.clip(a.detail, 300)}): wie al is gemaild valt niet te zeggen, dus er wordt niets verzonden tot ze weer leesbaar is`,
  } satisfies CodeEntry<{ detail: string }>,
  'already-sent': {
    step: 'state',
    severity: 'error',
    when: 'a copy, renamed or moved file of a mailing already confirmed to some of the same recipients (only `--again` / *Send again* sends it)',
    en: (a: AlreadySentArgs, f: Formatter) => {
      const share = a.overlap === a.total ? `all ${f.count(a.total, 'recipient', 'recipients')}` : `${f.number(a.overlap)} of the ${f.count(a.total, 'recipient', 'recipients')}`;
      const what =
        a.status === 'scheduled' || a.status === 'missed'
          ? `was scheduled on ${f.moment(a.confirmedAt)} for ${share}${a.scheduledAt ? `, to go out ${f.moment(a.scheduledAt)}` : ''}`
          : a.status === 'completed'
            ? `was sent to ${share} on ${f.moment(a.confirmedAt)}`
            : `was confirmed for ${share} on ${f.moment(a.confirmedAt)} (${a.status})`;
      return `Already sent: this mailing, with the same content, ${what}, as ${a.file} (state in ${a.stateDir}); sending it again needs an explicit choice (mailings send --now --again, or Send again in VS Code)`;
    },
    nl: (a: AlreadySentArgs, f: Formatter) => {
      const share = a.overlap === a.total ? `alle ${f.count(a.total, 'ontvanger', 'ontvangers')}` : `${f.number(a.overlap)} van de ${f.count(a.total, 'ontvanger', 'ontvangers')}`;
      const what =
        a.status === 'scheduled' || a.status === 'missed'
          ? `is op ${f.moment(a.confirmedAt)} gepland voor ${share}${a.scheduledAt ? `, te verzenden ${f.moment(a.scheduledAt)}` : ''}`
          : a.status === 'completed'
            ? `is op ${f.moment(a.confirmedAt)} verzonden aan ${share}`
            : `is op ${f.moment(a.confirmedAt)} bevestigd voor ${share} (${a.status})`;
      return `Al verzonden: deze mailing, met dezelfde inhoud, ${what}, als ${a.file} (status in ${a.stateDir}); opnieuw verzenden vraagt een uitdrukkelijke keuze (mailings send --now --again, of Opnieuw verzenden in VS Code)`;
    },
  } satisfies CodeEntry<AlreadySentArgs>,
};

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
