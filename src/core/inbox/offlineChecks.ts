// The Inbox step's checks that need nothing but the mailing and its files — fast enough to run on
// every validation, each cached by what it depends on (the HTML's model per content version, client
// support per unit, clipping per HTML text). The spam score (spamScore.ts) and link reachability
// (reachability.ts) are slow and run on demand, never while typing.
import type { LoadedMailing } from '../load/loadMailing';
import { findUnsupported } from './clientSupport';
import { findClipping } from './clipping';
import type { InboxFinding } from '../facts/inboxFindings';
import { inboxHtml } from '../load/html/htmlSource';
import { findLinkProblems } from '../load/html/linkChecks';
import { findEmptyValues } from './mergeValues';
import { findSenderProblems } from './sender';
import { inboxSettings } from './settings';

export function inboxFindings(loaded: LoadedMailing): InboxFinding[] {
  const settings = inboxSettings(loaded);
  const found: InboxFinding[] = [...settings.findings, ...loaded.imageFindings];
  const html = inboxHtml(loaded);
  if (html) {
    found.push(...findLinkProblems(html));
    found.push(...findClipping(loaded, html));
    found.push(...findUnsupported(html, settings.clients));
  }
  found.push(...findEmptyValues(loaded));
  found.push(...findSenderProblems(loaded));
  return found;
}
