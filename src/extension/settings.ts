// The `mailings.*` settings and the SMTP password. SMTP host, port, security, user and allowPlainAuth
// are machine-scoped (package.json), so a cloned repository's .vscode/settings.json cannot redirect
// mail or make a password travel in clear text; the password lives only in SecretStorage and is never
// logged or written to a file.
import * as vscode from 'vscode';
import { DEFAULT_SOFT_BOUNCE_LIMIT, DEFAULT_WORKING_HOURS, type ImapAccount, type SmtpConfig, type WorkingHours } from '../core/index';

export const SECTION = 'mailings';
const PASSWORD_KEY = 'mailings.smtp.password';
const IMAP_PASSWORD_KEY = 'mailings.bounces.imap.password';

export interface MailingsSettings {
  smtp: {
    host: string;
    port: number;
    security: SmtpConfig['security'];
    user: string;
    /** With security none: log in to a host that is not loopback anyway (the core refuses it otherwise). */
    allowPlainAuth: boolean;
  };
  /** Default sending rate ("600/minute") for mailings without `sending.rate`; empty: no cap. */
  defaultRate: string;
  gracePeriodMs: number;
  pollMs: number;
  workingHours: WorkingHours;
  bounces: {
    /** The bounce mailbox (machine-scoped, as the SMTP server): empty host, no polling. */
    imap: { host: string; port: number; security: ImapAccount['security']; user: string; folder: string; processedFolder: string };
    /** Minutes between two reads of the bounce mailbox; 0: only when asked (Check the Bounce Mailbox Now). */
    pollMinutes: number;
    /** Soft bounces, in as many mailings, that suppress an address. */
    softBounceLimit: number;
  };
  inbox: {
    /** Score the spam of a mailing after each save of it or of its HTML. */
    spamOnSave: boolean;
    /** The SpamAssassin program: `spamassassin`, or `spamc` to ask a running spamd (machine-scoped). */
    spamAssassin: string;
    /** Check links fetches localhost and private-network addresses too (a staging server; machine-scoped). */
    checkLocalLinks: boolean;
  };
}

export function readSettings(): MailingsSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const security = config.get<string>('smtp.security', 'starttls');
  const imapSecurity = config.get<string>('bounces.imap.security', 'tls');
  const hours = config.get<Partial<WorkingHours>>('schedule.workingHours', DEFAULT_WORKING_HOURS);
  return {
    smtp: {
      host: config.get<string>('smtp.host', '').trim(),
      port: config.get<number>('smtp.port', 587),
      security: security === 'tls' || security === 'none' ? security : 'starttls',
      user: config.get<string>('smtp.user', '').trim(),
      allowPlainAuth: config.get<boolean>('smtp.allowPlainAuth', false) === true,
    },
    defaultRate: config.get<string>('sending.defaultRate', '').trim(),
    gracePeriodMs: Math.max(0, config.get<number>('schedule.gracePeriodMinutes', 15)) * 60_000,
    pollMs: Math.max(1, config.get<number>('schedule.pollSeconds', 30)) * 1000,
    workingHours: {
      days: Array.isArray(hours.days) ? hours.days : DEFAULT_WORKING_HOURS.days,
      start: typeof hours.start === 'string' ? hours.start : DEFAULT_WORKING_HOURS.start,
      end: typeof hours.end === 'string' ? hours.end : DEFAULT_WORKING_HOURS.end,
    },
    bounces: {
      imap: {
        host: config.get<string>('bounces.imap.host', '').trim(),
        port: config.get<number>('bounces.imap.port', 993),
        security: imapSecurity === 'starttls' || imapSecurity === 'none' ? imapSecurity : 'tls',
        user: config.get<string>('bounces.imap.user', '').trim(),
        folder: config.get<string>('bounces.imap.folder', 'INBOX').trim() || 'INBOX',
        processedFolder: config.get<string>('bounces.imap.processedFolder', 'Processed').trim() || 'Processed',
      },
      pollMinutes: Math.max(0, config.get<number>('bounces.pollMinutes', 10)),
      softBounceLimit: Math.max(1, Math.floor(config.get<number>('bounces.softBounceLimit', DEFAULT_SOFT_BOUNCE_LIMIT)) || DEFAULT_SOFT_BOUNCE_LIMIT),
    },
    inbox: {
      spamOnSave: config.get<boolean>('inbox.spamScoreOnSave', true) !== false,
      spamAssassin: config.get<string>('inbox.spamAssassinCommand', 'spamassassin').trim() || 'spamassassin',
      checkLocalLinks: config.get<boolean>('inbox.checkLocalLinks', false) === true,
    },
  };
}

export function smtpConfigured(settings: MailingsSettings = readSettings()): boolean {
  return settings.smtp.host.length > 0;
}

/** The SMTP password in SecretStorage (set by "Mailings: Set SMTP Password"). */
/** One password in SecretStorage (the OS keychain where there is one), with its change event. */
export class StoredSecret {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly key: string,
  ) {}

  get(): Thenable<string | undefined> {
    return this.secrets.get(this.key);
  }

  store(password: string): Thenable<void> {
    return this.secrets.store(this.key, password);
  }

  delete(): Thenable<void> {
    return this.secrets.delete(this.key);
  }

  get onDidChange(): vscode.Event<void> {
    return (listener, thisArg, disposables) =>
      this.secrets.onDidChange((event) => event.key === this.key && listener.call(thisArg, undefined), undefined, disposables);
  }
}

/** The SMTP server's password. */
export class SmtpPassword extends StoredSecret {
  constructor(secrets: vscode.SecretStorage) {
    super(secrets, PASSWORD_KEY);
  }
}

/** The bounce mailbox's password. */
export class ImapPassword extends StoredSecret {
  constructor(secrets: vscode.SecretStorage) {
    super(secrets, IMAP_PASSWORD_KEY);
  }
}

/** The bounce mailbox account, or undefined while host or user is not set (the password may be empty). */
export async function imapAccount(password: ImapPassword, settings: MailingsSettings = readSettings()): Promise<ImapAccount | undefined> {
  const { host, port, security, user, folder, processedFolder } = settings.bounces.imap;
  if (!host || !user) return undefined;
  return { host, port, security, user, password: (await password.get()) ?? '', folder, processedFolder };
}

/** The SMTP connection for sending, or undefined when no host is configured. */
export async function smtpConfig(password: SmtpPassword, settings: MailingsSettings = readSettings()): Promise<SmtpConfig | undefined> {
  if (!smtpConfigured(settings)) return undefined;
  const { host, port, security, user, allowPlainAuth } = settings.smtp;
  const secret = user ? await password.get() : undefined;
  return { host, port, security, ...(user ? { user } : {}), ...(secret ? { password: secret } : {}), ...(allowPlainAuth ? { allowPlainAuth } : {}) };
}

/**
 * Tests and `npm run editor` hand the password in through the environment; only outside production
 * mode, so an installed extension never reads secrets from its environment.
 */
export async function seedPasswordForDevelopment(context: vscode.ExtensionContext, password: SmtpPassword): Promise<void> {
  const seeded = process.env.MAILINGS_TEST_SMTP_PASSWORD;
  if (context.extensionMode !== vscode.ExtensionMode.Production && seeded) {
    await password.store(seeded);
  }
}
