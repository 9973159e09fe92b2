// The mailing's `checks:` keys (schemas/mailing.schema.json): which mail clients client support is
// judged for, and the spam-score thresholds. What the schema refuses is left to its diagnostics;
// here a bad value falls back to the default.
import type { LoadedMailing } from '../load/loadMailing';
import type { InboxFinding } from './findings';
import { DEFAULT_CLIENTS, resolveClient } from './clientSupport';

export const SPAM_WARNING = 3;
export const SPAM_ERROR = 5;

export interface InboxSettings {
  /** caniemail client ids. */
  clients: string[];
  spam: { warning: number; error: number };
  /** `checks.clients` entries caniemail does not know. */
  findings: InboxFinding[];
}

export function inboxSettings(loaded: LoadedMailing): InboxSettings {
  const checks = loaded.data.checks as { clients?: unknown; spam?: { warning?: unknown; error?: unknown } } | undefined;
  const findings: InboxFinding[] = [];
  const ids = new Set<string>();
  const written = Array.isArray(checks?.clients) ? checks.clients : undefined;
  if (written) {
    written.forEach((entry, index) => {
      if (typeof entry !== 'string' || !entry.trim()) return;
      const choice = resolveClient(entry);
      if (choice.ok) for (const id of choice.ids) ids.add(id);
      else findings.push({ kind: 'client-unknown', range: loaded.ranges.value(['checks', 'clients', index]), client: entry.trim(), ...(choice.suggestion ? { suggestion: choice.suggestion } : {}) });
    });
  } else {
    for (const family of DEFAULT_CLIENTS) for (const id of (resolveClient(family) as { ids: string[] }).ids) ids.add(id);
  }
  const number = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
  return { clients: [...ids], spam: { warning: number(checks?.spam?.warning, SPAM_WARNING), error: number(checks?.spam?.error, SPAM_ERROR) }, findings };
}
