// The spam score of the message as the first recipient gets it, from the real SpamAssassin with
// local rules only (`spamassassin -L -t`: no network tests, nothing leaves the machine). Slow (a
// second or two: Perl compiles its rules), so it is never on the typing path: the faces call it
// after a save or on demand, and a score is kept per content and first recipient for the process's
// life. When SpamAssassin is not installed the result says how to install it; a run that takes too
// long is stopped. What a result means for the mailing (thresholds, the words) is checks/inbox.ts.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { contentHash } from '../contentHash';
import { prepareMailing } from '../render/prepared';
import { templateRenderer } from '../render/templateRenderer';
import type { ResolvedMailing } from '../types';

export interface SpamRule {
  name: string;
  points: number;
  description: string;
}

export type SpamResult =
  | { kind: 'scored'; score: number; required: number; rules: SpamRule[] }
  /** `command` was not found (the catalogue's `spam-unavailable` says how to install it). */
  | { kind: 'unavailable'; command: string }
  | { kind: 'timeout'; ms: number }
  | { kind: 'failed'; message: string };

export interface SpamOptions {
  /** The SpamAssassin executable (default `spamassassin` on PATH), or `spamc` for a running spamd. */
  command?: string;
  /** Stop a run after this long (default 60 s). */
  timeoutMs?: number;
}

/**
 * SpamAssassin's report of a scored message: the score on `Content analysis details:   (N points,
 * M required)` (N may be negative), then one line per rule that fired (`pts rule description`,
 * descriptions continued on indented lines).
 */
export function parseSpamReport(output: string): SpamResult {
  const head = /Content analysis details:\s+\((-?\d+(?:\.\d+)?) points?, (-?\d+(?:\.\d+)?) required\)/.exec(output);
  if (!head) return { kind: 'failed', message: 'SpamAssassin printed no score' };
  const rules: SpamRule[] = [];
  const lines = output.slice(head.index + head[0].length).split(/\r?\n/);
  let i = lines.findIndex((line) => /^-{3,}\s+-{3,}/.test(line.trim()));
  if (i >= 0) {
    for (i++; i < lines.length; i++) {
      const line = lines[i];
      const rule = /^\s*(-?\d+(?:\.\d+)?)\s+([A-Z0-9_]+)\s+(.*)$/.exec(line);
      if (rule) {
        rules.push({ points: Number(rule[1]), name: rule[2], description: rule[3].trim() });
        continue;
      }
      if (/^\s{5,}\S/.test(line) && rules.length) {
        rules[rules.length - 1].description += ` ${line.trim()}`;
        continue;
      }
      break;
    }
  }
  return { kind: 'scored', score: Number(head[1]), required: Number(head[2]), rules };
}

/**
 * How each program is asked for the report: `spamassassin -L -t` (local tests only, the report
 * appended); `spamc -R -x` (the report of a running spamd, whose own `--local` keeps the network out;
 * -x: an unreachable spamd is an error, not a silent "0/0").
 */
export function spamArguments(command: string): string[] {
  return /^spamc(\.exe)?$/i.test(path.basename(command)) ? ['-R', '-x'] : ['-L', '-t'];
}

/** Scores one raw message (RFC 5322 bytes) with `spamassassin -L -t` (or `spamc -R -x`). */
export function spamAssassinScore(raw: Buffer, options: SpamOptions = {}): Promise<SpamResult> {
  const command = options.command ?? 'spamassassin';
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: SpamResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const child = spawn(command, spamArguments(command), { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ kind: 'timeout', ms: timeoutMs });
    }, timeoutMs);
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') finish({ kind: 'unavailable', command });
      else finish({ kind: 'failed', message: error.message });
    });
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('close', (code) => {
      const result = parseSpamReport(Buffer.concat(out).toString('utf8'));
      if (result.kind === 'failed') {
        const detail = Buffer.concat(err).toString('utf8').trim().split('\n').slice(-3).join(' ');
        finish({ kind: 'failed', message: `${path.basename(command)} exited with ${code}${detail ? `: ${detail}` : ''}` });
      } else {
        finish(result);
      }
    });
    // A child that exits before reading all of stdin: its EPIPE is no failure of ours.
    child.stdin.on('error', () => undefined);
    child.stdin.end(raw);
  });
}

/** The message the first recipient would get, as the send engine renders it (fixed date and Message-ID token). */
export async function firstMessage(mailing: ResolvedMailing): Promise<Buffer | undefined> {
  const recipient = mailing.targetList.recipients[0];
  if (!recipient) return undefined;
  const prepared = await prepareMailing(mailing, { messageIdToken: 'spamcheck' });
  const rendered = await templateRenderer(prepared).render(recipient, 0, { date: new Date() });
  return rendered.raw;
}

const scores = new Map<string, Promise<SpamResult>>();

/**
 * The spam score of the mailing's message for its first recipient, once per content and recipient
 * for the process's life. Undefined when there is no recipient to render for.
 */
export async function mailingSpamScore(mailing: ResolvedMailing, options: SpamOptions = {}): Promise<SpamResult | undefined> {
  const recipient = mailing.targetList.recipients[0];
  if (!recipient) return undefined;
  const key = createHash('sha256')
    .update(JSON.stringify([contentHash(mailing), mailing.name, mailing.replyTo ?? null, mailing.unsubscribe, mailing.sending.bounceAddress ?? null, recipient.email, recipient.fields, options.command ?? null]))
    .digest('hex');
  let pending = scores.get(key);
  if (!pending) {
    pending = firstMessage(mailing).then(
      (raw): Promise<SpamResult> | SpamResult => (raw ? spamAssassinScore(raw, options) : { kind: 'failed', message: 'no message to score' }),
      // A message that cannot be rendered (a file gone since the check): no score, and why.
      (error: unknown): SpamResult => ({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
    scores.set(key, pending);
    // A run that did not score (not installed, timed out) is tried again next time.
    void pending.then((result) => {
      if (result.kind !== 'scored') scores.delete(key);
    });
  }
  return pending;
}
