// Link reachability, on demand only (never while typing): every distinct link and image of the HTML
// fetched once — HEAD first, GET when a server refuses HEAD — a few at a time, each with a timeout,
// redirects not followed but reported with their target. A URL's result is kept for the process's
// life (the editor asks again whenever the user presses "Check links"; a URL that failed to answer is
// asked again then). `link-broken`: 4xx/5xx or no answer; `link-redirect`: 3xx.
import type { LoadedMailing } from '../load/loadMailing';
import { compileTemplate, fillTemplate } from '../render/merge';
import type { Located } from '../facts/inboxFindings';
import { inboxHtml } from '../load/html/htmlSource';
import type { UrlReference } from '../load/html/htmlModel';
import { isEmbeddedImage } from '../load/html/linkChecks';
import { classifyUrl } from '../load/html/urlClass';

export type Reachability =
  | { url: string; kind: 'ok'; status: number }
  | { url: string; kind: 'redirect'; status: number; target: string }
  | { url: string; kind: 'broken'; status: number }
  /** No answer: refused, unknown host, TLS failure, or nothing within the timeout. */
  | { url: string; kind: 'unreachable'; reason: 'timeout' | 'network'; message: string };

export interface ReachOptions {
  /** Requests in flight at once (default 6). */
  concurrency?: number;
  /** Per request, in ms (default 10 s). */
  timeoutMs?: number;
}

/** Servers that refuse HEAD answer one of these to it; GET is asked then. */
const HEAD_REFUSED = new Set([400, 403, 404, 405, 406, 429, 500, 501, 503]);

const known = new Map<string, Promise<Reachability>>();

async function request(url: string, method: 'HEAD' | 'GET', timeoutMs: number): Promise<Response> {
  const response = await fetch(url, { method, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs), headers: { 'user-agent': 'mailings-link-check/1 (+https://www.npmjs.com/package/mailings)' } });
  // Only the status and headers matter: the body is never read.
  await response.body?.cancel().catch(() => undefined);
  return response;
}

async function reach(url: string, timeoutMs: number): Promise<Reachability> {
  try {
    let response = await request(url, 'HEAD', timeoutMs).catch(() => undefined);
    if (!response || HEAD_REFUSED.has(response.status)) response = await request(url, 'GET', timeoutMs);
    const status = response.status;
    if (status >= 300 && status < 400) {
      const location = response.headers.get('location');
      return { url, kind: 'redirect', status, target: location ? new URL(location, url).href : '' };
    }
    if (status >= 400) return { url, kind: 'broken', status };
    return { url, kind: 'ok', status };
  } catch (error) {
    const timeout = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { url, kind: 'unreachable', reason: timeout ? 'timeout' : 'network', message: timeout ? `no answer within ${Math.round(timeoutMs / 1000)} s` : (cause?.code ?? cause?.message ?? String(error)) };
  }
}

/** Fetches each distinct URL once (results kept per URL), at most `concurrency` at a time. */
export async function checkUrls(urls: readonly string[], options: ReachOptions = {}): Promise<Map<string, Reachability>> {
  const concurrency = Math.max(1, options.concurrency ?? 6);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const distinct = [...new Set(urls)];
  const results = new Map<string, Reachability>();
  let next = 0;
  const worker = async () => {
    while (next < distinct.length) {
      const url = distinct[next++];
      let pending = known.get(url);
      if (!pending) {
        pending = reach(url, timeoutMs);
        known.set(url, pending);
        // No answer may be the network of the moment: asked again next time.
        void pending.then((result) => {
          if (result.kind === 'unreachable') known.delete(url);
        });
      }
      results.set(url, await pending);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, distinct.length) }, worker));
  return results;
}

/** Forgets every result (tests; a "check again from scratch"). */
export function forgetReachability(): void {
  known.clear();
}

export interface LinkTarget {
  /** The URL fetched: merge fields filled with the first recipient's values (URL-encoded as the renderer does). */
  url: string;
  reference: UrlReference;
  at: Located;
}

/**
 * The web addresses of the HTML's links and images worth fetching: http(s), not local unless asked
 * (a local address is `link-local` already and fetching it would reach the sender's own network).
 */
export function linkTargets(loaded: LoadedMailing, options: { includeLocal?: boolean } = {}): LinkTarget[] {
  const html = inboxHtml(loaded);
  if (!html) return [];
  const fields = loaded.targetList.recipients[0]?.fields ?? {};
  const targets: LinkTarget[] = [];
  const references: UrlReference[] = [...html.model.links, ...html.model.images.filter((image) => !isEmbeddedImage(image))];
  for (const reference of references) {
    if (reference.fieldAtStart) continue;
    const written = html.text.slice(reference.start, reference.end);
    // The value as a client reads it, merge fields filled (entities decoded by the model, fields
    // put back from the text as written).
    const url = reference.fields.length ? fillTemplate(compileTemplate(decodeBasicEntities(written)), fields, (value) => encodeURIComponent(value)) : reference.value;
    const judged = classifyUrl(url);
    if (judged.kind === 'ok' || judged.kind === 'insecure') {
      if (judged.url.protocol === 'http:' || judged.url.protocol === 'https:') targets.push({ url: judged.url.href, reference, at: html.locate(reference.start, reference.end) });
    } else if (judged.kind === 'local' && options.includeLocal && judged.reason !== 'relative' && judged.reason !== 'file') {
      targets.push({ url: new URL(url.trim()).href, reference, at: html.locate(reference.start, reference.end) });
    }
  }
  return targets;
}

function decodeBasicEntities(value: string): string {
  return value.replace(/&amp;/gi, '&').replace(/&quot;/gi, '"').replace(/&#39;|&apos;/gi, "'").replace(/&lt;/gi, '<').replace(/&gt;/gi, '>');
}

export type ReachFinding =
  | (Located & { kind: 'link-broken'; url: string; written: string; image: boolean; status?: number; reason?: 'timeout' | 'network'; message?: string })
  | (Located & { kind: 'link-redirect'; url: string; written: string; image: boolean; status: number; target: string });

/** Checks every link and image of the mailing's HTML once; findings at each place a bad URL is written. */
export async function findUnreachable(loaded: LoadedMailing, options: ReachOptions & { includeLocal?: boolean } = {}): Promise<ReachFinding[]> {
  // In the order they are written (links and images mixed), as diagnostics are listed.
  const targets = linkTargets(loaded, options).sort((a, b) => a.reference.start - b.reference.start);
  const results = await checkUrls(
    targets.map((t) => t.url),
    options,
  );
  const found: ReachFinding[] = [];
  for (const target of targets) {
    const result = results.get(target.url)!;
    const base = { ...target.at, url: target.url, written: target.reference.written, image: target.reference.attribute !== 'href' };
    if (result.kind === 'broken') found.push({ kind: 'link-broken', ...base, status: result.status });
    else if (result.kind === 'unreachable') found.push({ kind: 'link-broken', ...base, reason: result.reason, message: result.message });
    else if (result.kind === 'redirect') found.push({ kind: 'link-redirect', ...base, status: result.status, target: result.target });
  }
  return found;
}
