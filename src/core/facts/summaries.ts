// The facts of each step's summary in the Confirm overview: a label and a value, typed args, in
// English and Dutch. The confirm model holds `{code, args}`; the editor, the Confirm page and the
// CLI all show `label: value` from here.
import type { MailingStatus, Rate, SendWindowSpec, Warmup } from '../types';
import type { Formatter } from './format';
import { describeSkipped, skippedTotal, type SkippedArgs } from './values';

type Text<A> = (args: A, f: Formatter) => string;

interface SummaryEntry<A> {
  label: { en: string; nl: string };
  value: { en: Text<A>; nl: Text<A> };
}

export interface PartSummaryArgs {
  /** The file relative to the mailing; absent: inline, or none at all (`none`). */
  file?: string;
  none?: true;
  /** text only: derived from the HTML. */
  derived?: true;
}

export interface SourcesSummaryArgs {
  files: { file: string; rows?: number }[];
  contacts: number;
  /** Exclusions only: other mailings whose recipients are left out (`recipients`: how many; absent: not known). */
  mailings?: { file: string; status: 'sent' | 'failed' | 'any'; recipients?: number }[];
}

/** The workspace's suppression list: how many addresses it holds and how many of this list it left out (or why it could not be read). */
export type SuppressionSummaryArgs = { kind: 'read'; listed: number; leftOut: number } | { kind: 'unreadable'; detail: string };

export type TestSummaryArgs = { kind: 'none' } | { kind: 'last'; at: string; to: string[]; outdated: boolean };

/** The spam score as far as it is known: on demand (inbox/onDemand.ts), so `unknown` until it ran. */
export type SpamSummaryArgs =
  | { kind: 'unknown' }
  | { kind: 'scored'; score: number; warning: number; error: number }
  | { kind: 'unavailable' }
  | { kind: 'failed' }
  /** The mailing cannot be rendered yet (no From, subject, content or recipient). */
  | { kind: 'unrendered' };

export type TransportSummaryArgs = { kind: 'outbox'; dir: string } | { kind: 'smtp'; server?: string };

const STATUS: Record<MailingStatus, { en: string; nl: string }> = {
  draft: { en: 'draft', nl: 'concept' },
  scheduled: { en: 'scheduled', nl: 'gepland' },
  sending: { en: 'sending', nl: 'wordt verzonden' },
  waiting: { en: 'waiting', nl: 'wachtend' },
  stopped: { en: 'stopped', nl: 'gestopt' },
  completed: { en: 'completed', nl: 'voltooid' },
  missed: { en: 'missed', nl: 'gemist' },
};

export function statusWord(status: MailingStatus, f: Formatter): string {
  return STATUS[status][f.lang];
}

const missing = { en: '(missing)', nl: '(ontbreekt)' };
const none = { en: 'none', nl: 'geen' };

function entry<A>(label: { en: string; nl: string }, en: Text<A>, nl: Text<A>): SummaryEntry<A> {
  return { label, value: { en, nl } };
}

function sources(a: SourcesSummaryArgs, f: Formatter): string {
  const nl = f.lang === 'nl';
  const files = a.files.map((s) => `${s.file} (${s.rows === undefined ? (nl ? 'niet gelezen' : 'not read') : f.count(s.rows, nl ? 'rij' : 'row', nl ? 'rijen' : 'rows')})`);
  const contacts = a.contacts ? [f.count(a.contacts, 'contact', nl ? 'contacten' : 'contacts')] : [];
  const statusWords = { sent: nl ? 'bereikt' : 'reached', failed: nl ? 'niet bereikt' : 'not reached', any: nl ? 'alle' : 'all' };
  const mailings = (a.mailings ?? []).map((m) => {
    const who = m.recipients === undefined ? (nl ? 'onbekend' : 'unknown') : f.count(m.recipients, nl ? 'ontvanger' : 'recipient', nl ? 'ontvangers' : 'recipients');
    return nl ? `de mailing ${m.file} (${statusWords[m.status]}: ${who})` : `the mailing ${m.file} (${statusWords[m.status]}: ${who})`;
  });
  return [...files, ...contacts, ...mailings].join(', ') || none[f.lang];
}

function rate(a: { rate?: Rate }, f: Formatter): string {
  const nl = f.lang === 'nl';
  if (!a.rate) return nl ? 'geen limiet' : 'no cap';
  const per = { second: nl ? 'seconde' : 'second', minute: nl ? 'minuut' : 'minute', hour: nl ? 'uur' : 'hour' }[a.rate.per];
  const perMinute = a.rate.per === 'second' ? a.rate.count * 60 : a.rate.per === 'hour' ? a.rate.count / 60 : undefined;
  const minute = perMinute === undefined ? '' : nl ? ` (${f.decimal(perMinute)} per minuut)` : ` (${f.decimal(perMinute)} per minute)`;
  return nl ? `hoogstens ${f.number(a.rate.count)} per ${per}${minute}` : `at most ${f.number(a.rate.count)} per ${per}${minute}`;
}

const DAYS = {
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
  nl: ['zo', 'ma', 'di', 'wo', 'do', 'vr', 'za'],
};

function clock(seconds: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const s = seconds % 60;
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}${s ? `:${pad(s)}` : ''}`;
}

/** "Mon–Fri 18:00–22:00, except 2026-12-25" / "ma–vr 18:00–22:00, behalve 2026-12-25". */
function windowText(w: SendWindowSpec, f: Formatter): string {
  const nl = f.lang === 'nl';
  const names = DAYS[f.lang];
  const days = w.days;
  const dayText =
    days.length === 7
      ? nl ? 'elke dag' : 'every day'
      : days.length > 2 && days.every((day, i) => i === 0 || day === days[i - 1] + 1)
        ? `${names[days[0]]}–${names[days[days.length - 1]]}`
        : days.map((day) => names[day]).join(', ');
  const whole = w.ranges.length === 1 && w.ranges[0].start === 0 && w.ranges[0].end === 86_400;
  const hours = whole ? (nl ? 'de hele dag' : 'all day') : w.ranges.map((range) => `${clock(range.start)}–${clock(range.end)}`).join(', ');
  return `${dayText} ${hours}${w.except.length ? `${nl ? ', behalve' : ', except'} ${w.except.join(', ')}` : ''}`;
}

const PERIODS = [
  { ms: 86_400_000, en: ['day', 'days'], nl: ['dag', 'dagen'] },
  { ms: 3_600_000, en: ['hour', 'hours'], nl: ['uur', 'uur'] },
  { ms: 60_000, en: ['minute', 'minutes'], nl: ['minuut', 'minuten'] },
  { ms: 1_000, en: ['second', 'seconds'], nl: ['seconde', 'seconden'] },
];

/** "2,000 per hour", "300 per 15 minutes" (nl "300 per 15 minuten"). */
function quotaText(q: { count: number; periodMs: number }, f: Formatter): string {
  const unit = PERIODS.find((p) => q.periodMs % p.ms === 0) ?? PERIODS[PERIODS.length - 1];
  const times = q.periodMs / unit.ms;
  const [one, many] = unit[f.lang];
  return `${f.number(q.count)} per ${times === 1 ? one : `${f.number(times)} ${many}`}`;
}

export interface WavesSummaryArgs {
  waves: { zone: string; count: number; dueAt?: string }[];
}

/** Recipients sent at the mailing's local time with `localTime`: without a zone, or with an invalid one. */
export interface HomeZoneSummaryArgs {
  zone: string;
  withoutZone: number;
  invalidZone: number;
}

export type FinishSummaryArgs = { finishAt: string } | { horizonDays: number };

export const SUMMARY_CATALOGUE = {
  'summary-file': entry<{ file: string }>({ en: 'File', nl: 'Bestand' }, (a) => a.file, (a) => a.file),
  'summary-name': entry<{ name?: string }>({ en: 'Name', nl: 'Naam' }, (a) => a.name ?? missing.en, (a) => a.name ?? missing.nl),
  'summary-from': entry<{ address?: string; written?: string }>(
    { en: 'From', nl: 'Van' },
    (a, f) => a.address ?? (a.written !== undefined ? `${f.clip(a.written)} (invalid)` : missing.en),
    (a, f) => a.address ?? (a.written !== undefined ? `${f.clip(a.written)} (ongeldig)` : missing.nl),
  ),
  'summary-reply-to': entry<{ address?: string; written?: string }>(
    { en: 'Reply-To', nl: 'Antwoord aan' },
    (a, f) => a.address ?? (a.written !== undefined ? `${f.clip(a.written)} (invalid)` : missing.en),
    (a, f) => a.address ?? (a.written !== undefined ? `${f.clip(a.written)} (ongeldig)` : missing.nl),
  ),
  'summary-subject': entry<{ subject?: string }>({ en: 'Subject', nl: 'Onderwerp' }, (a, f) => (a.subject !== undefined ? f.clip(a.subject, 200) : missing.en), (a, f) => (a.subject !== undefined ? f.clip(a.subject, 200) : missing.nl)),
  'summary-html': entry<PartSummaryArgs>({ en: 'HTML', nl: 'HTML' }, (a) => (a.none ? none.en : (a.file ?? 'inline')), (a) => (a.none ? none.nl : (a.file ?? 'inline'))),
  'summary-text': entry<PartSummaryArgs>(
    { en: 'Plain text', nl: 'Platte tekst' },
    (a) => (a.derived ? 'derived from the HTML' : a.none ? none.en : (a.file ?? 'inline')),
    (a) => (a.derived ? 'afgeleid van de HTML' : a.none ? none.nl : (a.file ?? 'inline')),
  ),
  'summary-attachments': entry<{ items: { filename: string; size: number }[] }>(
    { en: 'Attachments', nl: 'Bijlagen' },
    (a, f) => (a.items.length ? a.items.map((i) => `${f.clip(i.filename)} (${f.size(i.size)})`).join(', ') : none.en),
    (a, f) => (a.items.length ? a.items.map((i) => `${f.clip(i.filename)} (${f.size(i.size)})`).join(', ') : none.nl),
  ),
  'summary-merge-fields': entry<{ fields: string[] }>(
    { en: 'Merge fields', nl: 'Samenvoegvelden' },
    (a, f) => (a.fields.length ? a.fields.map((x) => f.clip(x, 40)).join(', ') : none.en),
    (a, f) => (a.fields.length ? a.fields.map((x) => f.clip(x, 40)).join(', ') : none.nl),
  ),
  'summary-unsubscribe': entry<{ targets: string[] }>({ en: 'Unsubscribe', nl: 'Afmelden' }, (a) => a.targets.join(', ') || missing.en, (a) => a.targets.join(', ') || missing.nl),
  'summary-links': entry<{ links: number; images: number; embedded: number }>(
    { en: 'Links and images', nl: 'Links en afbeeldingen' },
    (a, f) => `${f.count(a.links, 'link', 'links')}, ${f.count(a.images, 'image', 'images')}${a.embedded ? ` (${f.count(a.embedded, 'file', 'files')} embedded)` : ''}`,
    (a, f) => `${f.count(a.links, 'link', 'links')}, ${f.count(a.images, 'afbeelding', 'afbeeldingen')}${a.embedded ? ` (${f.count(a.embedded, 'bestand', 'bestanden')} ingesloten)` : ''}`,
  ),
  'summary-message-size': entry<{ size: number; limit: number }>(
    { en: 'Largest message', nl: 'Grootste bericht' },
    (a, f) => `${f.size(a.size)} of HTML (Gmail clips over ${f.limit(a.limit)})`,
    (a, f) => `${f.size(a.size)} HTML (Gmail knipt af boven ${f.limit(a.limit)})`,
  ),
  'summary-clients': entry<{ clients: string[] }>(
    { en: 'Mail clients checked', nl: 'Gecontroleerde e-mailprogramma’s' },
    (a, f) => (a.clients.length ? f.list(a.clients.map((c) => f.clip(c))) : none.en),
    (a, f) => (a.clients.length ? f.list(a.clients.map((c) => f.clip(c))) : none.nl),
  ),
  'summary-spam': entry<SpamSummaryArgs>(
    { en: 'Spam score', nl: 'Spamscore' },
    (a, f) => {
      switch (a.kind) {
        case 'unknown':
          return 'not scored yet (after a save in VS Code, Check spam score on the Confirm page, or mailings validate --spam)';
        case 'scored':
          return `${f.decimal(a.score)} points (SpamAssassin; a warning over ${f.decimal(a.warning)}, an error over ${f.decimal(a.error)})`;
        case 'unavailable':
          return 'unknown: SpamAssassin is not installed';
        case 'failed':
          return 'unknown: SpamAssassin did not score the message';
        case 'unrendered':
          return 'not scored: the message cannot be rendered yet';
      }
    },
    (a, f) => {
      switch (a.kind) {
        case 'unknown':
          return 'nog niet bepaald (na opslaan in VS Code, Spamscore bepalen op de pagina Bevestigen, of mailings validate --spam)';
        case 'scored':
          return `${f.decimal(a.score)} punten (SpamAssassin; een waarschuwing boven ${f.decimal(a.warning)}, een fout boven ${f.decimal(a.error)})`;
        case 'unavailable':
          return 'onbekend: SpamAssassin is niet geïnstalleerd';
        case 'failed':
          return 'onbekend: SpamAssassin heeft het bericht niet beoordeeld';
        case 'unrendered':
          return 'niet bepaald: het bericht kan nog niet worden opgemaakt';
      }
    },
  ),
  'summary-reachability': entry<{ addresses: number; broken: number; redirected: number }>(
    { en: 'Links checked', nl: 'Links gecontroleerd' },
    (a, f) => `${f.count(a.addresses, 'address', 'addresses')}: ${f.number(a.broken)} broken, ${f.number(a.redirected)} redirected`,
    (a, f) => `${f.count(a.addresses, 'adres', 'adressen')}: ${f.number(a.broken)} werken niet, ${f.number(a.redirected)} doorgestuurd`,
  ),
  'summary-recipients': entry<{ count: number; skipped: SkippedArgs }>(
    { en: 'Recipients', nl: 'Ontvangers' },
    (a, f) => `${f.count(a.count, 'recipient', 'recipients')}, ${f.number(skippedTotal(a.skipped))} skipped (${describeSkipped(a.skipped, f)})`,
    (a, f) => `${f.count(a.count, 'ontvanger', 'ontvangers')}, ${f.number(skippedTotal(a.skipped))} overgeslagen (${describeSkipped(a.skipped, f)})`,
  ),
  'summary-suppression': entry<SuppressionSummaryArgs>(
    { en: 'Suppression list (never mailed)', nl: 'Blokkeerlijst (nooit mailen)' },
    (a, f) => (a.kind === 'unreadable' ? `cannot be read (${f.clip(a.detail, 120)})` : `${f.count(a.listed, 'address', 'addresses')}; ${f.number(a.leftOut)} of this list left out`),
    (a, f) => (a.kind === 'unreadable' ? `kan niet worden gelezen (${f.clip(a.detail, 120)})` : `${f.count(a.listed, 'adres', 'adressen')}; ${f.number(a.leftOut)} van deze lijst weggelaten`),
  ),
  'summary-sources': entry<SourcesSummaryArgs>({ en: 'Sources', nl: 'Bronnen' }, sources, sources),
  'summary-excluded': entry<SourcesSummaryArgs>({ en: 'Never mailed (exclusions)', nl: 'Nooit mailen (uitsluitingen)' }, sources, sources),
  'summary-fields': entry<{ fields: string[] }>(
    { en: 'Fields', nl: 'Velden' },
    (a, f) => a.fields.map((x) => f.clip(x, 40)).join(', '),
    (a, f) => a.fields.map((x) => f.clip(x, 40)).join(', '),
  ),
  'summary-last-test': entry<TestSummaryArgs>(
    { en: 'Last test', nl: 'Laatste test' },
    (a, f) => (a.kind === 'none' ? 'none sent yet' : `${f.moment(a.at)}, to ${f.list(a.to)}${a.outdated ? ' (outdated: changed since)' : ''}`),
    (a, f) => (a.kind === 'none' ? 'nog niet verzonden' : `${f.moment(a.at)}, aan ${f.list(a.to)}${a.outdated ? ' (verouderd: sindsdien gewijzigd)' : ''}`),
  ),
  'summary-test-recipients': entry<{ recipients: string[] }>(
    { en: 'Test recipients', nl: 'Testontvangers' },
    (a) => a.recipients.join(', ') || none.en,
    (a) => a.recipients.join(', ') || none.nl,
  ),
  'summary-scheduled': entry<{ at: string }>({ en: 'Scheduled to send at', nl: 'Gepland voor verzenden om' }, (a, f) => f.moment(a.at), (a, f) => f.moment(a.at)),
  'summary-proposed': entry<{ expression: string; at?: string }>(
    { en: 'Schedule in the file', nl: 'Planning in het bestand' },
    (a, f) => (a.at ? `${f.moment(a.at)} (${f.quote(a.expression)})` : f.quote(a.expression)),
    (a, f) => (a.at ? `${f.moment(a.at)} (${f.quote(a.expression)})` : f.quote(a.expression)),
  ),
  'summary-no-schedule': entry<Record<string, never>>(
    { en: 'Schedule', nl: 'Planning' },
    () => 'no moment proposed: Send now, or Schedule and pick one',
    () => 'geen moment voorgesteld: Nu verzenden, of Plannen en een moment kiezen',
  ),
  'summary-timezone': entry<{ zone: string }>({ en: 'Time zone', nl: 'Tijdzone' }, (a) => a.zone, (a) => a.zone),
  'summary-transport': entry<TransportSummaryArgs>(
    { en: 'Transport', nl: 'Transport' },
    (a) => (a.kind === 'outbox' ? `outbox (.eml files in ${a.dir})` : `SMTP server${a.server ? ` ${a.server}` : ''}`),
    (a) => (a.kind === 'outbox' ? `outbox (.eml-bestanden in ${a.dir})` : `SMTP-server${a.server ? ` ${a.server}` : ''}`),
  ),
  'summary-rate': entry<{ rate?: Rate }>({ en: 'Rate', nl: 'Snelheid' }, rate, rate),
  'summary-connections': entry<{ count: number }>({ en: 'Connections', nl: 'Verbindingen' }, (a, f) => f.number(a.count), (a, f) => f.number(a.count)),
  'summary-window': entry<{ window: SendWindowSpec; zone?: string }>(
    { en: 'Send window', nl: 'Verzendvenster' },
    (a, f) => `${windowText(a.window, f)} (${a.zone ?? "each recipient's zone"})`,
    (a, f) => `${windowText(a.window, f)} (${a.zone ?? 'de tijdzone van elke ontvanger'})`,
  ),
  'summary-window-opens': entry<{ at: string }>({ en: 'The window opens', nl: 'Het venster gaat open' }, (a, f) => f.moment(a.at), (a, f) => f.moment(a.at)),
  'summary-waves': entry<WavesSummaryArgs>(
    { en: 'Local time', nl: 'Lokale tijd' },
    (a, f) => `${f.count(a.waves.length, 'wave', 'waves')}: ${a.waves.map((w) => `${w.zone} ${f.number(w.count)}${w.dueAt ? ` (${f.moment(w.dueAt)})` : ''}`).join('; ')}`,
    (a, f) => `${f.count(a.waves.length, 'golf', 'golven')}: ${a.waves.map((w) => `${w.zone} ${f.number(w.count)}${w.dueAt ? ` (${f.moment(w.dueAt)})` : ''}`).join('; ')}`,
  ),
  'summary-home-zone': entry<HomeZoneSummaryArgs>(
    { en: 'Without a valid time zone', nl: 'Zonder geldige tijdzone' },
    (a, f) =>
      `${[a.withoutZone ? `${f.number(a.withoutZone)} without a time zone` : '', a.invalidZone ? `${f.number(a.invalidZone)} with an invalid one` : ''].filter(Boolean).join(' and ')}: sent at the local time of ${a.zone}`,
    (a, f) =>
      `${[a.withoutZone ? `${f.number(a.withoutZone)} zonder tijdzone` : '', a.invalidZone ? `${f.number(a.invalidZone)} met een ongeldige` : ''].filter(Boolean).join(' en ')}: verzonden op de lokale tijd van ${a.zone}`,
  ),
  'summary-finish': entry<FinishSummaryArgs>(
    { en: 'Finishes', nl: 'Klaar' },
    (a, f) => ('finishAt' in a ? `about ${f.moment(a.finishAt)}` : `not within ${f.count(a.horizonDays, 'day', 'days')} at this pace`),
    (a, f) => ('finishAt' in a ? `rond ${f.moment(a.finishAt)}` : `niet binnen ${f.count(a.horizonDays, 'dag', 'dagen')} in dit tempo`),
  ),
  'summary-quota': entry<{ quotas: { count: number; periodMs: number }[] }>(
    { en: 'Quota', nl: 'Quotum' },
    (a, f) => `at most ${a.quotas.map((q) => quotaText(q, f)).join(', ')} (shared by every mailing sent through the SMTP server)`,
    (a, f) => `hoogstens ${a.quotas.map((q) => quotaText(q, f)).join(', ')} (gedeeld door elke mailing die via de SMTP-server wordt verzonden)`,
  ),
  'summary-per-domain': entry<{ domains: { domain: string; perMinute: number }[] }>(
    { en: 'Per domain', nl: 'Per domein' },
    (a, f) => a.domains.map((d) => `${d.domain === '*' ? 'every other domain' : d.domain} ${f.decimal(d.perMinute)} per minute`).join(', '),
    (a, f) => a.domains.map((d) => `${d.domain === '*' ? 'elk ander domein' : d.domain} ${f.decimal(d.perMinute)} per minuut`).join(', '),
  ),
  'summary-warmup': entry<Warmup>(
    { en: 'Warm-up', nl: 'Opwarmen' },
    (a, f) => `${f.number(a.start)} on the server's first day, ×${f.decimal(a.growth)} each day after`,
    (a, f) => `${f.number(a.start)} op de eerste dag van de server, daarna elke dag ×${f.decimal(a.growth)}`,
  ),
  'summary-status': entry<{ status: MailingStatus }>({ en: 'Status', nl: 'Status' }, (a, f) => statusWord(a.status, f), (a, f) => statusWord(a.status, f)),
  'summary-progress': entry<{ sent: number; total: number; failed: number }>(
    { en: 'Progress', nl: 'Voortgang' },
    (a, f) => `sent ${f.number(a.sent)} of ${f.number(a.total)}${a.failed ? `, ${f.number(a.failed)} failed` : ''}`,
    (a, f) => `${f.number(a.sent)} van ${f.number(a.total)} verzonden${a.failed ? `, ${f.number(a.failed)} mislukt` : ''}`,
  ),
};

export type SummaryCode = keyof typeof SUMMARY_CATALOGUE;

type ArgsOf<T> = T extends SummaryEntry<infer A> ? A : never;

export type SummaryArgs = { [C in SummaryCode]: ArgsOf<(typeof SUMMARY_CATALOGUE)[C]> };

/** One line of a step's summary: `{code, args}`. */
export type SummaryFact = { [C in SummaryCode]: { code: C; args: SummaryArgs[C] } }[SummaryCode];

export const SUMMARY_CODES = Object.keys(SUMMARY_CATALOGUE) as SummaryCode[];
