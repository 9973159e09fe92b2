// The "Mailings" log (a LogOutputChannel: levels, timestamps, the user's own log-level setting).
// Every send event is logged; nothing that could hold a secret is: objects pass through `redact`.
import * as vscode from 'vscode';

export type MailingsLog = vscode.LogOutputChannel;

export function createLog(): MailingsLog {
  return vscode.window.createOutputChannel(vscode.l10n.t('Mailings'), { log: true });
}

const SECRET_KEY = /pass(word)?|secret|token|auth|credential|privateKey/i;

/** A copy of `value` with every secret-looking property replaced, for logging structured events. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    out[key] = SECRET_KEY.test(key) ? '***' : redact(item, depth + 1);
  }
  return out;
}

/** One line for a structured event: "message {json}". */
export function describeEvent(message: string, details?: unknown): string {
  return details === undefined ? message : `${message} ${JSON.stringify(redact(details))}`;
}
