// The Inbox step's slow checks, run on demand and never while typing: the spam score of the first
// recipient's message (the real SpamAssassin: `mailings validate --spam`) and link reachability
// (`mailings check-links`). The editor is to call the same two (after a save, from Confirm).
// Each takes a confirm model — everything it needs is on it (`model.inbox`) — and returns an
// InboxResult: diagnostics and Inbox summary facts, for withInboxResults(model, result) to add to
// the model while its content is the same. Results are kept per message and per URL for the
// process's life (spamScore.ts, reachability.ts).
import { renderableMailing } from '../render/renderableMailing';
import { reachDiagnostic, spamDiagnostics } from '../checks/inbox';
import type { SpamSummaryArgs, SummaryFact } from '../facts/summaries';
import type { ConfirmModel, Diagnostic } from '../types';
import { findUnreachable, type ReachOptions } from './reachability';
import { mailingSpamScore, type SpamOptions } from './spamScore';

/** What an on-demand check of the Inbox step found (inbox/onDemand.ts): its diagnostics and summary facts. */
export interface InboxResult {
  /** The model's contentHash the result was computed for: it applies while the model has the same. */
  contentHash?: string;
  diagnostics: Diagnostic[];
  /** Summary facts of the Inbox step; each replaces the model's fact of the same code. */
  facts: SummaryFact[];
}

/** The spam score of the model's message for its first recipient, judged against `checks.spam`. */
export async function scoreMailingSpam(model: ConfirmModel, options: SpamOptions = {}): Promise<InboxResult> {
  const contentHash = model.contentHash;
  const inbox = model.inbox;
  if (!inbox) return { contentHash, diagnostics: [], facts: [] };
  const fact = (args: SpamSummaryArgs): InboxResult['facts'] => [{ code: 'summary-spam', args }];
  const mailing = renderableMailing(model.mailing);
  const recipient = mailing?.targetList.recipients[0];
  // Without From, subject, content or a recipient there is no message: the errors that say so stand.
  if (!mailing || !recipient) return { contentHash, diagnostics: [], facts: fact({ kind: 'unrendered' }) };
  const result = await mailingSpamScore(mailing, options);
  if (!result) return { contentHash, diagnostics: [], facts: fact({ kind: 'unrendered' }) };
  const { warning, error, range } = inbox.spam;
  const diagnostics = spamDiagnostics(result, { warning, error }, range, recipient.email);
  const summary: SpamSummaryArgs = result.kind === 'scored' ? { kind: 'scored', score: result.score, warning, error } : result.kind === 'unavailable' ? { kind: 'unavailable' } : { kind: 'failed' };
  return { contentHash, diagnostics, facts: fact(summary) };
}

export interface LinkCheckOptions extends ReachOptions {
  /** Fetch local-network addresses too (a staging server; they are `link-local` errors already). */
  includeLocal?: boolean;
}

/** Fetches every distinct link and image address of the model's message once: link-broken, link-redirect. */
export async function checkMailingLinks(model: ConfirmModel, options: LinkCheckOptions = {}): Promise<InboxResult> {
  const contentHash = model.contentHash;
  const targets = (model.inbox?.links ?? []).filter((target) => options.includeLocal || !target.local);
  const findings = await findUnreachable(targets, options);
  const diagnostics = findings.map(reachDiagnostic);
  const distinct = (kind: string) => new Set(findings.filter((f) => f.kind === kind).map((f) => f.url)).size;
  return {
    contentHash,
    diagnostics,
    facts: [{ code: 'summary-reachability', args: { addresses: new Set(targets.map((t) => t.url)).size, broken: distinct('link-broken'), redirected: distinct('link-redirect') } }],
  };
}
