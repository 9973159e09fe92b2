// The mailing's `checks:` keys (schemas/mailing.schema.json): which mail clients client support is
// judged for, and the spam-score thresholds. What the schema refuses is left to its diagnostics;
// here a bad value falls back to the default.
import type { LoadedMailing } from '../load/loadMailing';
import type { InboxFinding } from '../facts/inboxFindings';
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

/** The client ids of a `checks.clients` list as written (resolving names costs more than a validation's other checks). */
const resolvedLists = new Map<string, { ids: string[]; unknown: { index: number; client: string; suggestion?: string }[] }>();

function clientIds(written: unknown[] | undefined): { ids: string[]; unknown: { index: number; client: string; suggestion?: string }[] } {
  const key = JSON.stringify(written ?? null);
  const known = resolvedLists.get(key);
  if (known) return known;
  const ids = new Set<string>();
  const unknown: { index: number; client: string; suggestion?: string }[] = [];
  if (written) {
    written.forEach((entry, index) => {
      if (typeof entry !== 'string' || !entry.trim()) return;
      const choice = resolveClient(entry);
      if (choice.ok) for (const id of choice.ids) ids.add(id);
      else unknown.push({ index, client: entry.trim(), ...(choice.suggestion ? { suggestion: choice.suggestion } : {}) });
    });
  } else {
    for (const family of DEFAULT_CLIENTS) for (const id of (resolveClient(family) as { ids: string[] }).ids) ids.add(id);
  }
  const result = { ids: [...ids], unknown };
  if (resolvedLists.size >= 64) resolvedLists.clear();
  resolvedLists.set(key, result);
  return result;
}

export function inboxSettings(loaded: LoadedMailing): InboxSettings {
  const checks = loaded.data.checks as { clients?: unknown; spam?: { warning?: unknown; error?: unknown } } | undefined;
  const written = Array.isArray(checks?.clients) ? checks.clients : undefined;
  const { ids, unknown } = clientIds(written);
  const findings: InboxFinding[] = unknown.map(({ index, client, suggestion }) => ({ kind: 'client-unknown', range: loaded.ranges.value(['checks', 'clients', index]), client, ...(suggestion ? { suggestion } : {}) }));
  const number = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
  return { clients: ids, spam: { warning: number(checks?.spam?.warning, SPAM_WARNING), error: number(checks?.spam?.error, SPAM_ERROR) }, findings };
}
