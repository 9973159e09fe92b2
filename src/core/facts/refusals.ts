// Why an action on a mailing was refused (actions.ts MailingActionError), as a fact with its words in
// English and Dutch: the CLI prints it, VS Code shows it, a log keeps the English.
import type { Diagnostic, MailingStatus } from '../types';
import type { Formatter } from './format';
import { renderDiagnostic } from './render';
import { statusWord } from './summaries';

export type ActionWord = 'send-test' | 'send-now' | 'schedule' | 'start' | 'stop' | 'mark-missed' | 'resend';

export interface LeaseHolderArgs {
  owner?: string;
  pid: number;
  host: string;
  heartbeat: string;
}

export type RefusalArgs =
  | { code: 'has-errors'; errors: Diagnostic[] }
  | { code: 'wrong-state'; action: ActionWord; status: MailingStatus }
  | { code: 'leased'; holder: LeaseHolderArgs }
  | { code: 'no-smtp' }
  | { code: 'plain-auth-refused'; server: string }
  | { code: 'no-test-recipients' }
  | { code: 'test-failed'; reply: string }
  | { code: 'invalid-time'; kind: 'invalid' } | { code: 'invalid-time'; kind: 'past'; at: string }
  | { code: 'stop-timeout'; holder: LeaseHolderArgs; seconds: number }
  | { code: 'state-mismatch' }
  /** A resend with nobody to send to: every row was sent (or is suppressed); `--to`: those named are not on the list. */
  | { code: 'nothing-to-resend'; to?: string[] };

const ACTIONS: Record<ActionWord, { en: string; nl: string }> = {
  'send-test': { en: 'send a test', nl: 'een test verzenden' },
  'send-now': { en: 'send now', nl: 'nu verzenden' },
  schedule: { en: 'schedule', nl: 'plannen' },
  start: { en: 'start', nl: 'starten' },
  stop: { en: 'stop', nl: 'stoppen' },
  'mark-missed': { en: 'mark missed', nl: 'als gemist markeren' },
  resend: { en: 'resend', nl: 'opnieuw verzenden' },
};

const HINTS: Record<MailingStatus, { en: string; nl: string }> = {
  scheduled: { en: 'Start sends it now, Stop unschedules it', nl: 'Starten verzendt haar nu, Stoppen heft de planning op' },
  missed: { en: 'Start sends it now, Stop unschedules it', nl: 'Starten verzendt haar nu, Stoppen heft de planning op' },
  sending: { en: 'Stop stops it', nl: 'Stoppen stopt haar' },
  waiting: {
    en: 'it goes on by itself when it may (mailings run or VS Code resume it); Stop stops it, Start tries now',
    nl: 'zij gaat vanzelf verder zodra dat mag (mailings run of VS Code hervat haar); Stoppen stopt haar, Starten probeert het nu',
  },
  stopped: { en: 'Start resumes it', nl: 'Starten gaat verder met verzenden' },
  completed: {
    en: 'Resend sends it to rows added since (mailings resend); to send it anew, copy the file to a new mailing',
    nl: 'Opnieuw verzenden verzendt haar aan rijen die sindsdien zijn toegevoegd (mailings resend); kopieer het bestand naar een nieuwe mailing om haar opnieuw te verzenden',
  },
  draft: { en: 'Send now or Schedule confirms it first', nl: 'Nu verzenden of Plannen bevestigt haar eerst' },
};

function holderText(h: LeaseHolderArgs, f: Formatter): string {
  return f.lang === 'nl'
    ? `${h.owner || 'een ander proces'} (pid ${h.pid} op ${h.host}, laatste teken van leven ${f.instant(h.heartbeat)})`
    : `${h.owner || 'another process'} (pid ${h.pid} on ${h.host}, last heartbeat ${f.instant(h.heartbeat)})`;
}

/** Where a diagnostic is, as every face writes it: `file:line:column` (1-based). */
export type Locate = (d: Diagnostic) => string;

/**
 * The refusal in words; `file` (as the face names it) leads the sentence when given, and `locate`
 * writes where each listed error is (default: its file, or `file`, with line and column).
 */
export function renderRefusal(a: RefusalArgs, f: Formatter, file?: string, locate?: Locate): string {
  const nl = f.lang === 'nl';
  const lead = file ? `${file}: ` : '';
  switch (a.code) {
    case 'has-errors': {
      const head = nl ? `de mailing heeft ${f.count(a.errors.length, 'fout', 'fouten')}:` : `the mailing has ${f.count(a.errors.length, 'error', 'errors')}:`;
      const where = locate ?? ((d: Diagnostic) => `${d.file ?? file ?? ''}:${d.range.start.line + 1}:${d.range.start.column + 1}`);
      const list = a.errors.slice(0, 5).map((d) => `  ${where(d)}: ${d.code}: ${renderDiagnostic(d, f)}`);
      const more = a.errors.length > 5 ? [nl ? `  … en nog ${f.number(a.errors.length - 5)}` : `  … and ${f.number(a.errors.length - 5)} more`] : [];
      return [lead + head, ...list, ...more].join('\n');
    }
    case 'wrong-state': {
      const hint = a.action === 'mark-missed' ? '' : `; ${HINTS[a.status][f.lang]}`;
      return nl
        ? `${lead}kan niet ${ACTIONS[a.action].nl}: de mailing is ${statusWord(a.status, f)}${hint}`
        : `${lead}cannot ${ACTIONS[a.action].en}: the mailing is ${statusWord(a.status, f)}${hint}`;
    }
    case 'leased':
      return nl ? `${lead}de mailing wordt behandeld door ${holderText(a.holder, f)}` : `${lead}the mailing is being handled by ${holderText(a.holder, f)}`;
    case 'no-smtp':
      return nl
        ? `${lead}het transport is smtp, maar er is geen SMTP-server ingesteld (CLI: --smtp of MAILINGS_SMTP_URL; VS Code: de instelling mailings.smtp.host)`
        : `${lead}the transport is smtp but no SMTP server is configured (CLI: --smtp or MAILINGS_SMTP_URL; VS Code: the setting mailings.smtp.host)`;
    case 'plain-auth-refused':
      return nl
        ? `${lead}weigert zonder TLS in te loggen op ${a.server}: met security none zouden gebruikersnaam en wachtwoord onversleuteld over het netwerk gaan. Gebruik security starttls of tls; of sta het, alleen op een netwerk dat u vertrouwt, uitdrukkelijk toe: ?allowPlainAuth=1 in de --smtp-URL (of MAILINGS_SMTP_URL), of de machine-instelling mailings.smtp.allowPlainAuth in VS Code`
        : `${lead}refused to log in to ${a.server} without TLS: with security none the user name and password would cross the network in clear text. Use security starttls or tls; or, only on a network you trust, allow it explicitly: ?allowPlainAuth=1 in the --smtp URL (or MAILINGS_SMTP_URL), or the machine setting mailings.smtp.allowPlainAuth in VS Code`;
    case 'no-test-recipients':
      return nl ? `${lead}geen testontvangers (test.recipients)` : `${lead}no test recipients (test.recipients)`;
    case 'test-failed':
      return nl ? `${lead}de test is niet afgeleverd: ${f.clip(a.reply, 300)}` : `${lead}the test was not delivered: ${f.clip(a.reply, 300)}`;
    case 'invalid-time':
      if (a.kind === 'invalid') return nl ? `${lead}het geplande tijdstip is geen geldig moment` : `${lead}the schedule time is not a valid instant`;
      return nl ? `${lead}${f.moment(a.at)} ligt in het verleden` : `${lead}${f.moment(a.at)} is in the past`;
    case 'stop-timeout':
      return nl
        ? `${lead}${holderText(a.holder, f)} is niet binnen ${f.number(a.seconds)} s gestopt (het stopverzoek blijft staan)`
        : `${lead}${holderText(a.holder, f)} did not stop within ${f.number(a.seconds)} s (the stop request stays)`;
    case 'state-mismatch':
      return nl
        ? `${lead}de snapshot is niet die welke het journaal bevestigde; er wordt niets verzonden (zet de statusmap terug, of kopieer het bestand naar een nieuwe mailing)`
        : `${lead}the snapshot does not match what the journal confirmed; nothing is sent (restore the state folder, or copy the file to a new mailing)`;
    case 'nothing-to-resend':
      if (a.to) {
        return nl
          ? `${lead}niets opnieuw te verzenden aan ${f.list(a.to)}: niet op de doellijst, al verzonden (--again verzendt nog eens) of geblokkeerd`
          : `${lead}nothing to resend to ${f.list(a.to)}: not on the target list, sent already (--again sends again) or suppressed`;
      }
      return nl
        ? `${lead}niets opnieuw te verzenden: elke rij van de doellijst is verzonden of geblokkeerd`
        : `${lead}nothing to resend: every row of the target list was sent or is suppressed`;
  }
}
