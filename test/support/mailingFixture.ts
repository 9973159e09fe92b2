// Hand-made resolved mailings for the send engine's tests (the loader builds real ones from files).
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DIAGNOSTIC_SAMPLES } from './diagnosticSamples';
import type { ConfirmModel, Diagnostic, Recipient, ResolvedMailing, SendingOptions } from '../../src/core/types';

export const DEFAULT_SENDING: SendingOptions = {
  transport: 'outbox',
  connections: 3,
  attempts: 4,
  retryDelay: 20,
  maxRetryDelay: 200,
  maxConsecutiveErrors: 50,
};

/** `count` recipients r0@domain…; `extra` adds or overrides fields (an undefined value removes one). */
export function recipients(count: number, domain = 'example.test', extra: (i: number) => Record<string, string | undefined> = () => ({})): Recipient[] {
  const list: Recipient[] = [];
  for (let i = 0; i < count; i++) {
    const email = `r${i}@${domain}`;
    const fields: Record<string, string> = { email, firstName: `First${i}` };
    for (const [key, value] of Object.entries(extra(i))) {
      if (value === undefined) delete fields[key];
      else fields[key] = value;
    }
    list.push({ email, fields });
  }
  return list;
}

export interface FixtureOptions {
  dir: string;
  recipients?: Recipient[];
  sending?: Partial<SendingOptions>;
  mailing?: Partial<ResolvedMailing>;
  /** Attachments to create in `dir`: filename -> content. */
  attachments?: Record<string, string | Buffer>;
}

export async function makeMailing(options: FixtureOptions): Promise<ResolvedMailing> {
  const list = options.recipients ?? recipients(3);
  const attachments = [];
  for (const [filename, content] of Object.entries(options.attachments ?? {})) {
    const file = path.join(options.dir, filename);
    await fs.writeFile(file, content);
    attachments.push({ path: file, filename, size: Buffer.byteLength(content) });
  }
  const fields = [...new Set(list.flatMap((r) => Object.keys(r.fields)))];
  const file = path.join(options.dir, 'news.mailing.yaml');
  await fs.writeFile(file, 'version: 1\n# the tests use a hand-made resolved mailing\n');
  return {
    file,
    name: 'November newsletter',
    from: { name: 'Acme News', email: 'news@acme.example' },
    replyTo: { email: 'support@acme.example' },
    subject: '{{firstName}}, our November news',
    html: { source: '<html><body><h1>Hello {{firstName}}</h1><p>News for {{email}}.</p><p><a href="https://acme.example/u?e={{email}}">Unsubscribe</a></p></body></html>' },
    attachments,
    targetList: {
      recipients: list,
      fields,
      skipped: { invalid: 1, duplicate: 0, excluded: 2 },
      sources: [{ kind: 'inline', rows: list.length, invalid: 1, duplicate: 0, columns: fields }],
      excludeSources: [],
    },
    unsubscribe: { url: 'https://acme.example/u?e={{email}}', mailto: 'unsubscribe@acme.example' },
    test: { recipients: ['me@acme.example'] },
    timezone: 'Europe/Amsterdam',
    sending: { ...DEFAULT_SENDING, ...options.sending },
    ...options.mailing,
  };
}

export async function tempDir(prefix = 'mailings-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/**
 * A confirm model around a hand-made mailing, as the loader would build it when the file has no
 * error (or with the diagnostics given). The hash stands in for contentHash().
 */
export function modelFor(mailing: ResolvedMailing, diagnostics: Diagnostic[] = []): ConfirmModel {
  const hash = createHash('sha256')
    .update(JSON.stringify([mailing.subject, mailing.html?.source, mailing.text?.source, mailing.from, mailing.attachments.map((a) => a.filename)]))
    .digest('hex');
  return {
    file: mailing.file,
    mailing,
    steps: [],
    diagnostics,
    hasErrors: diagnostics.some((d) => d.severity === 'error'),
    contentHash: hash,
    state: { status: 'draft' },
    referencedFiles: [],
    references: [],
  };
}

/** A diagnostic of a code, with the first sample of its args (test/support/diagnosticSamples.ts). */
export function diagnostic(code: Diagnostic['code'], step: Diagnostic['step'], severity: Diagnostic['severity'] = 'error'): Diagnostic {
  const args = DIAGNOSTIC_SAMPLES[code][0];
  return { code, args, step, severity, range: { start: { line: 0, column: 0 }, end: { line: 0, column: 1 } } } as Diagnostic;
}
