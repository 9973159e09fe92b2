// Inbox step (nl: Postvak IN): the analysis of the message as the inboxes will see it
// (inbox/offlineChecks.ts: links, images, clipping, client support, empty values, the sender) turned
// into located diagnostics with the catalogue's codes; and the same for the findings of the slow
// checks run on demand (inbox/onDemand.ts: the spam score, link reachability).
import * as path from 'node:path';
import type { EmptyPlaceArgs } from '../facts/diagnostics';
import { clientGroups } from '../inbox/clientSupport';
import type { InboxFinding } from '../facts/inboxFindings';
import { imagePath } from '../load/html/localImages';
import type { ReachFinding } from '../inbox/reachability';
import type { SpamResult } from '../inbox/spamScore';
import type { Diagnostic, Range } from '../types';
import { diagnostic, type CheckContext } from './context';

export function checkInbox(ctx: CheckContext): Diagnostic[] {
  return ctx.inbox ? ctx.inbox.findings.map((finding) => inboxDiagnostic(finding, ctx.loaded.file)) : [];
}

const basename = (file: string) => path.basename(file);

/** One finding of the offline analysis as its diagnostic (`mailingFile`: what a relative image path is resolved against when the HTML is inline). */
export function inboxDiagnostic(finding: InboxFinding, mailingFile: string): Diagnostic {
  const at = finding.file ? { file: finding.file } : {};
  const range = finding.range;
  switch (finding.kind) {
    case 'link-invalid':
      return diagnostic(
        'link-invalid',
        'error',
        'inbox',
        finding.reason === 'empty' ? { reason: 'empty', element: finding.element, attribute: finding.attribute } : { reason: finding.reason, url: finding.url, image: finding.image },
        range,
        at,
      );
    case 'link-local': {
      const base = { url: finding.url, image: finding.image };
      const args = finding.reason === 'file' || finding.reason === 'relative' ? { ...base, reason: finding.reason } : { ...base, reason: finding.reason, host: finding.host ?? finding.url };
      return diagnostic('link-local', 'error', 'inbox', args, range, at);
    }
    case 'link-insecure':
      return diagnostic('link-insecure', 'warning', 'inbox', { url: finding.url, image: finding.image }, range, at);
    case 'image-alt-missing':
      return diagnostic('image-alt-missing', 'warning', 'inbox', { src: finding.src }, range, at);
    case 'image-missing': {
      const args = finding.problem === 'missing' ? { src: finding.src, reason: 'missing' as const } : finding.problem === 'not-a-file' ? { src: finding.src, reason: 'folder' as const } : { src: finding.src, reason: 'unreadable' as const, detail: finding.message ?? '' };
      return diagnostic('image-missing', 'error', 'inbox', args, range, at);
    }
    case 'path-outside': {
      // The file the path names, before links are followed: when the real file differs, say where it leads.
      const named = path.resolve(path.dirname(finding.file ?? mailingFile), imagePath(finding.src));
      return diagnostic('path-outside', 'error', 'inbox', { file: finding.src, workspace: finding.root, ...(named !== finding.path ? { leadsTo: finding.path } : {}) }, range, at);
    }
    case 'image-large':
      return diagnostic(
        'image-large',
        'warning',
        'inbox',
        finding.scope === 'one' ? { kind: 'one', src: finding.src ?? '', size: finding.bytes, limit: finding.limit } : { kind: 'all', count: finding.count ?? 0, size: finding.bytes, limit: finding.limit },
        range,
        at,
      );
    case 'message-clipped': {
      const who = finding.recipient;
      const args = {
        size: finding.bytes,
        limit: finding.limit,
        unsubscribeHidden: finding.unsubscribeHidden,
        ...(who.email ? { email: who.email } : {}),
        ...(who.file && who.row !== undefined ? { file: basename(who.file), row: who.row } : {}),
      };
      return diagnostic('message-clipped', 'warning', 'inbox', args, range, at);
    }
    case 'client-unsupported':
      return diagnostic('client-unsupported', 'warning', 'inbox', { feature: finding.feature, clients: clientGroups(finding.clients), url: finding.url }, range, at);
    case 'client-unknown':
      return diagnostic('client-unknown', 'warning', 'inbox', { client: finding.client, ...(finding.suggestion ? { suggestion: finding.suggestion } : {}) }, range, at);
    case 'merge-value-empty': {
      const places: EmptyPlaceArgs[] = finding.places.map((place) => ('file' in place ? { file: basename(place.file), rows: place.rows, more: place.more } : { contacts: place.contacts, more: place.more }));
      return diagnostic('merge-value-empty', 'warning', 'inbox', { field: finding.field, count: finding.count, total: finding.total, places }, range, at);
    }
    case 'from-freemail':
      return diagnostic('from-freemail', 'error', 'inbox', { address: finding.address, provider: finding.provider }, range, at);
    case 'dkim-missing':
      return diagnostic('dkim-missing', 'warning', 'inbox', {}, range, at);
  }
}

/** A link's reachability finding as its diagnostic. */
export function reachDiagnostic(finding: ReachFinding): Diagnostic {
  const at = finding.file ? { file: finding.file } : {};
  const base = { url: finding.url, image: finding.image };
  if (finding.kind === 'link-redirect') return diagnostic('link-redirect', 'info', 'inbox', { ...base, status: finding.status, target: finding.target }, finding.range, at);
  if ('status' in finding) return diagnostic('link-broken', 'warning', 'inbox', { ...base, kind: 'status', status: finding.status }, finding.range, at);
  if (finding.reason === 'timeout') return diagnostic('link-broken', 'warning', 'inbox', { ...base, kind: 'timeout', seconds: Math.round(finding.ms / 1000) }, finding.range, at);
  return diagnostic('link-broken', 'warning', 'inbox', { ...base, kind: 'network', code: finding.code }, finding.range, at);
}

/**
 * What a spam result means for the mailing, against its thresholds (`checks.spam`): `spam-score` as
 * a warning over `warning`, an error over `error`, nothing at or under them; why there is no score.
 */
export function spamDiagnostics(result: SpamResult, thresholds: { warning: number; error: number }, range: Range, email: string): Diagnostic[] {
  switch (result.kind) {
    case 'scored': {
      const rules = result.rules.map((rule) => ({ name: rule.name, points: rule.points }));
      if (result.score > thresholds.error) return [diagnostic('spam-score', 'error', 'inbox', { score: result.score, threshold: thresholds.error, key: 'error', email, rules }, range)];
      if (result.score > thresholds.warning) return [diagnostic('spam-score', 'warning', 'inbox', { score: result.score, threshold: thresholds.warning, key: 'warning', email, rules }, range)];
      return [];
    }
    case 'unavailable':
      return [diagnostic('spam-unavailable', 'info', 'inbox', { command: result.command }, range)];
    case 'timeout':
      return [diagnostic('spam-failed', 'warning', 'inbox', { kind: 'timeout', seconds: Math.round(result.ms / 1000) }, range)];
    case 'failed':
      return [diagnostic('spam-failed', 'warning', 'inbox', { kind: 'error', message: result.message }, range)];
  }
}
