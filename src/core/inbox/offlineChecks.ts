// The Inbox step's checks that need nothing but the mailing and its files — fast enough to run on
// every validation, each cached by what it depends on (the HTML's model per content version, client
// support per unit, clipping per HTML text), and the whole analysis per loaded mailing (a
// re-validation because the clock or the send state moved reuses it). The spam score (spamScore.ts)
// and link reachability (reachability.ts) are slow and run on demand, never while typing: what they
// need is gathered here (`targets`, `spam`) so the confirm model carries it.
import type { LoadedMailing } from '../load/loadMailing';
import { compileTemplate, fillTemplate } from '../render/merge';
import type { LinkTarget } from '../types';
import { findUnsupported } from './clientSupport';
import { findClipping, GMAIL_CLIP_BYTES, largestHtml } from './clipping';
import type { InboxFinding } from '../facts/inboxFindings';
import { inboxHtml } from '../load/html/htmlSource';
import { findLinkProblems } from '../load/html/linkChecks';
import { findEmptyValues } from './mergeValues';
import { linkTargets } from './reachability';
import { findSenderProblems } from './sender';
import { inboxSettings } from './settings';
import { classifyUrl } from '../load/html/urlClass';

export interface InboxAnalysis {
  findings: InboxFinding[];
  /** The HTML's links and images (every `<img>`, `srcset` candidate, background and CSS `url()`), and how many image files are embedded. */
  links: number;
  images: number;
  embedded: number;
  /** The largest recipient's HTML in bytes, and Gmail's clipping limit; undefined without HTML. */
  largest?: { bytes: number; limit: number };
  /** The caniemail client ids client support is judged for (`checks.clients`). */
  clients: string[];
  /** The spam-score thresholds (`checks.spam`). */
  spam: { warning: number; error: number };
  /** What link reachability fetches, in the order written (the HTML's addresses, then the unsubscribe URL). */
  targets: LinkTarget[];
}

const analyses = new WeakMap<LoadedMailing, InboxAnalysis>();

export function analyzeInbox(loaded: LoadedMailing): InboxAnalysis {
  const known = analyses.get(loaded);
  if (known) return known;
  const settings = inboxSettings(loaded);
  const findings: InboxFinding[] = [...settings.findings, ...loaded.imageFindings];
  const analysis: InboxAnalysis = { findings, links: 0, images: 0, embedded: loaded.images.length, clients: settings.clients, spam: settings.spam, targets: [] };
  const html = inboxHtml(loaded);
  if (html) {
    analysis.links = html.model.links.length;
    analysis.images = html.model.images.length;
    const largest = largestHtml(loaded, html);
    analysis.largest = { bytes: largest.bytes, limit: GMAIL_CLIP_BYTES };
    findings.push(...findLinkProblems(html));
    findings.push(...findClipping(loaded, html, GMAIL_CLIP_BYTES, largest));
    // MJML writes its own CSS for these very clients, fallbacks included, and so does our default
    // Markdown layout (layout.ts: its one media query is an enhancement for phones); the findings
    // would all sit at line 1 of the .mjml or .md file, where the user cannot change them. Client
    // support judges the HTML a person wrote (an HTML file, a Markdown layout of their own).
    const authored = loaded.content.authored;
    const generated = authored?.kind === 'mjml' || (authored?.kind === 'markdown' && !authored.layout);
    if (!generated) findings.push(...findUnsupported(html, settings.clients));
    analysis.targets = linkTargets(loaded, html);
  }
  const unsubscribe = unsubscribeTarget(loaded);
  if (unsubscribe) analysis.targets.push(unsubscribe);
  findings.push(...findEmptyValues(loaded));
  findings.push(...findSenderProblems(loaded));
  analyses.set(loaded, analysis);
  return analysis;
}

/** The unsubscribe URL as the first recipient's List-Unsubscribe header carries it, at its YAML value. */
function unsubscribeTarget(loaded: LoadedMailing): LinkTarget | undefined {
  const written = loaded.unsubscribe.url;
  if (!written) return undefined;
  const fields = loaded.targetList.recipients[0]?.fields ?? {};
  const url = written.includes('{{') ? fillTemplate(compileTemplate(written), fields, (value) => encodeURIComponent(value)) : written;
  const judged = classifyUrl(url);
  const range = loaded.ranges.value(['unsubscribe', 'url']);
  if ((judged.kind === 'ok' || judged.kind === 'insecure') && (judged.url.protocol === 'https:' || judged.url.protocol === 'http:')) return { url: judged.url.href, written, image: false, local: false, range };
  if (judged.kind === 'local' && judged.reason !== 'relative' && judged.reason !== 'file') {
    try {
      return { url: new URL(url).href, written, image: false, local: true, range };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The findings alone (tests, and faces that want the analysis without the model). */
export function inboxFindings(loaded: LoadedMailing): InboxFinding[] {
  return analyzeInbox(loaded).findings;
}
