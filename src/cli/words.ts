// The CLI's own sentences — what a command says it did (a test sent, a send's summary, where the
// messages went, what a waiting mailing waits for) — in English and Dutch, chosen like the facts'
// language (--lang, else LC_ALL / LC_MESSAGES / LANG). Diagnostics, summaries and refusals come from
// the core's catalogue; these are the lines around them. Codes, status keys in --json and the
// scheduler's log of `mailings run` (a server log, read by operators and scripts) stay English.
import type { Lang, WaitReason } from '../core/index';

export interface CliWords {
  lang: Lang;
  /** The outbox in a destination's few words (describeDestination). */
  theOutbox: string;
  /** After an outbox folder: in the past once messages were written, else in the present. */
  outboxNote(done: boolean): string;
  via(destination: string): string;
  toOutbox(outbox: string, note: string): string;
  destination(described: string): string;
  testSent(to: string, via: string, ids: string): string;
  testWritten(to: string, outbox: string, ids: string): string;
  status(word: string, reason?: string): string;
  counts(c: { total: number; sent: number; failed: number; deferred: number; pending: number; skipped: number; uncertain: number }): string;
  suppressed(n: number): string;
  bounced(n: number): string;
  complained(n: number): string;
  scheduledAt(at: string): string;
  started(at: string): string;
  finished(at: string): string;
  sendingTime(duration: string): string;
  perMinute(rate: number): string;
  beingSentBy(owner: string | undefined, pid: number, host: string): string;
  waitingFor: Record<WaitReason, string>;
  goesOn(what: string, moment: string): string;
  waiting(what: string): string;
  noCap: string;
  ratePerMinute(rate: string): string;
  lowered(at: string): string;
  rate(configured: string, current: string, lowered: string): string;
  domainRate(domain: string, configured: string, current: string): string;
  waves: string;
  atTheStart: string;
  wave(zone: string, due: string, sent: number, total: number, failed: number): string;
  /** The progress bar's words: `sent 800  failed 2  deferred 10`. */
  progress: { sent: string; failed: string; deferred: string; uncertain: string; perMinute: string };
  sendingVia(command: string, via: string): string;
  waitingInForeground(command: string, what: string): string;
  stoppingAfterInFlight(command: string): string;
  stoppedResumes(command: string, reason: string | undefined): string;
  dryRun(file: string, count: number, via: string): string;
  notDraft(status: string, file: string): string;
}

const EN: CliWords = {
  lang: 'en',
  theOutbox: 'the outbox',
  outboxNote: (done) => (done ? '(no mail left this machine)' : '(no mail leaves this machine)'),
  via: (destination) => `via ${destination}`,
  toOutbox: (outbox, note) => `to ${outbox} ${note}`,
  destination: (described) => `destination: ${described}`,
  testSent: (to, via, ids) => `Test sent to ${to} ${via} (${ids})`,
  testWritten: (to, outbox, ids) => `Test for ${to} written to ${outbox} (${ids}); no mail left this machine`,
  status: (word, reason) => `status: ${word}${reason ? ` (${reason})` : ''}`,
  counts: (c) => `total ${c.total}, sent ${c.sent}, failed ${c.failed}, deferred ${c.deferred}, pending ${c.pending}, skipped ${c.skipped}, uncertain ${c.uncertain}`,
  suppressed: (n) => `suppressed ${n}`,
  bounced: (n) => `bounced ${n}`,
  complained: (n) => `complained ${n}`,
  scheduledAt: (at) => `scheduled at ${at}`,
  started: (at) => `started ${at}`,
  finished: (at) => `finished ${at}`,
  sendingTime: (duration) => `sending time ${duration}`,
  perMinute: (rate) => `${rate} per minute`,
  beingSentBy: (owner, pid, host) => `being sent by ${owner ?? 'a process'} (pid ${pid} on ${host})`,
  waitingFor: { window: 'its send window', wave: 'its next local-time wave', quota: "the SMTP server's quota", warmup: "the warm-up's daily allowance" },
  goesOn: (what, moment) => `${what}: goes on ${moment}`,
  waiting: (what) => `waiting for ${what}`,
  noCap: 'no cap',
  ratePerMinute: (rate) => `${rate}/minute`,
  lowered: (at) => ` (lowered after a "too fast" reply at ${at})`,
  rate: (configured, current, lowered) => `rate: configured ${configured}, current ${current}${lowered}`,
  domainRate: (domain, configured, current) => `  ${domain}: configured ${configured}, current ${current}`,
  waves: 'waves (local time):',
  atTheStart: 'at the start',
  wave: (zone, due, sent, total, failed) => `  ${zone}: due ${due}; ${sent} of ${total} sent${failed ? `, ${failed} failed` : ''}`,
  progress: { sent: 'sent', failed: 'failed', deferred: 'deferred', uncertain: 'uncertain', perMinute: '/min' },
  sendingVia: (command, via) => `mailings ${command}: sending ${via}`,
  waitingInForeground: (command, what) => `mailings ${command}: waiting for ${what} (Ctrl-C stops it; \`mailings start\` resumes)`,
  stoppingAfterInFlight: (command) => `mailings ${command}: stopping after the messages in flight (Ctrl-C again quits at once; Start resumes)…`,
  stoppedResumes: (command, reason) => `mailings ${command}: stopped: ${reason ?? 'unknown reason'}; \`mailings start\` resumes it`,
  dryRun: (file, count, via) => `mailings send: nothing sent (a dry run); \`mailings send ${file} --now\` sends ${count} message${count === 1 ? '' : 's'} ${via}`,
  notDraft: (status, file) => `mailings send: nothing sent; the mailing is ${status}, and Send now is only for a draft (mailings status ${file})`,
};

// The seed's words: verzenden, doellijst, Starten; "u" as the catalogue writes it.
const NL: CliWords = {
  lang: 'nl',
  theOutbox: 'de outbox',
  outboxNote: (done) => (done ? '(er is geen mail van deze computer vertrokken)' : '(er vertrekt geen mail van deze computer)'),
  via: (destination) => `via ${destination}`,
  toOutbox: (outbox, note) => `naar ${outbox} ${note}`,
  destination: (described) => `bestemming: ${described}`,
  testSent: (to, via, ids) => `Test verzonden naar ${to} ${via} (${ids})`,
  testWritten: (to, outbox, ids) => `Test voor ${to} geschreven naar ${outbox} (${ids}); er is geen mail van deze computer vertrokken`,
  status: (word, reason) => `status: ${word}${reason ? ` (${reason})` : ''}`,
  counts: (c) =>
    `totaal ${c.total}, verzonden ${c.sent}, mislukt ${c.failed}, uitgesteld ${c.deferred}, wachtend ${c.pending}, overgeslagen ${c.skipped}, onzeker ${c.uncertain}`,
  suppressed: (n) => `onderdrukt ${n}`,
  bounced: (n) => `gebounced ${n}`,
  complained: (n) => `als spam gemeld ${n}`,
  scheduledAt: (at) => `gepland op ${at}`,
  started: (at) => `gestart ${at}`,
  finished: (at) => `klaar ${at}`,
  sendingTime: (duration) => `verzendtijd ${duration}`,
  perMinute: (rate) => `${rate} per minuut`,
  beingSentBy: (owner, pid, host) => `wordt verzonden door ${owner ?? 'een proces'} (pid ${pid} op ${host})`,
  waitingFor: { window: 'het verzendvenster', wave: 'de volgende golf in lokale tijd', quota: 'het quotum van de SMTP-server', warmup: 'het dagvolume van de opwarmperiode' },
  goesOn: (what, moment) => `${what}: gaat verder ${moment}`,
  waiting: (what) => `wacht op ${what}`,
  noCap: 'geen limiet',
  ratePerMinute: (rate) => `${rate}/minuut`,
  lowered: (at) => ` (verlaagd na een antwoord "te snel" om ${at})`,
  rate: (configured, current, lowered) => `tempo: ingesteld ${configured}, huidig ${current}${lowered}`,
  domainRate: (domain, configured, current) => `  ${domain}: ingesteld ${configured}, huidig ${current}`,
  waves: 'golven (lokale tijd):',
  atTheStart: 'bij de start',
  wave: (zone, due, sent, total, failed) => `  ${zone}: gepland ${due}; ${sent} van ${total} verzonden${failed ? `, ${failed} mislukt` : ''}`,
  progress: { sent: 'verzonden', failed: 'mislukt', deferred: 'uitgesteld', uncertain: 'onzeker', perMinute: '/min' },
  sendingVia: (command, via) => `mailings ${command}: verzenden ${via}`,
  waitingInForeground: (command, what) => `mailings ${command}: wacht op ${what} (Ctrl-C stopt het; \`mailings start\` gaat verder)`,
  stoppingAfterInFlight: (command) => `mailings ${command}: stopt na de berichten die onderweg zijn (nogmaals Ctrl-C stopt meteen; Starten gaat verder)…`,
  stoppedResumes: (command, reason) => `mailings ${command}: gestopt: ${reason ?? 'onbekende reden'}; \`mailings start\` gaat verder`,
  dryRun: (file, count, via) => `mailings send: niets verzonden (een proefrun); \`mailings send ${file} --now\` verzendt ${count} ${count === 1 ? 'bericht' : 'berichten'} ${via}`,
  notDraft: (status, file) => `mailings send: niets verzonden; de mailing is ${status}, en Nu verzenden kan alleen voor een concept (mailings status ${file})`,
};

export function cliWords(lang: Lang = 'en'): CliWords {
  return lang === 'nl' ? NL : EN;
}
