// Link reachability, on demand only (never while typing): every distinct link and image of the HTML
// fetched once — HEAD first, GET when a server refuses HEAD — a few at a time, each with a timeout,
// redirects not followed but reported with their target. A URL's result is kept for the process's
// life (the editor asks again whenever the user presses "Check links"; a URL that failed to answer is
// asked again then). `link-broken`: 4xx/5xx or no answer; `link-redirect`: 3xx.
import type { LoadedMailing } from '../load/loadMailing';
import { compileTemplate, fillTemplate } from '../render/merge';
import type { LinkTarget } from '../types';
import type { Located } from '../facts/inboxFindings';
import type { InboxHtml } from '../load/html/htmlSource';
import type { UrlReference } from '../load/html/htmlModel';
import { isEmbeddedImage } from '../load/html/linkChecks';
import { classifyUrl } from '../load/html/urlClass';

export type Reachability =
  | { url: string; kind: 'ok'; status: number }
  | { url: string; kind: 'redirect'; status: number; target: string }
  | { url: string; kind: 'broken'; status: number }
  /** No answer within `ms`; or refused, unknown host, TLS failure (`code`: Node's error code, such as ENOTFOUND). */
  | { url: string; kind: 'unreachable'; reason: 'timeout'; ms: number }
  | { url: string; kind: 'unreachable'; reason: 'network'; code: string };

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
    if (timeout) return { url, kind: 'unreachable', reason: 'timeout', ms: timeoutMs };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { url, kind: 'unreachable', reason: 'network', code: cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error)) };
  }
}

/** Fetches each distinct URL once (working ones kept per URL for the process's life), at most `concurrency` at a time. */
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
        // Only a working address is kept: a broken one, a redirect or no answer may be fixed on the
        // server (or be the network of the moment), and checking again must see that.
        void pending.then((result) => {
          if (result.kind !== 'ok') known.delete(url);
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

/**
 * The web addresses of the HTML's links and images worth fetching, in the order written: http(s)
 * only; a local-network address (`link-local` already: fetching it would reach the sender's own
 * network) is marked `local` and fetched only when asked. Computed with the confirm model (cheap:
 * the HTML's model is already parsed) so the on-demand check needs nothing but the model.
 */
export function linkTargets(loaded: LoadedMailing, html: InboxHtml): LinkTarget[] {
  const fields = loaded.targetList.recipients[0]?.fields ?? {};
  const targets: LinkTarget[] = [];
  const references: UrlReference[] = [...html.model.links, ...html.model.images.filter((image) => !isEmbeddedImage(image))].sort((a, b) => a.start - b.start);
  for (const reference of references) {
    if (reference.fieldAtStart) continue;
    const written = html.text.slice(reference.start, reference.end);
    // The value as a client reads it, merge fields filled (entities decoded by the model, fields
    // put back from the text as written).
    const url = reference.fields.length ? fillTemplate(compileTemplate(decodeBasicEntities(written)), fields, (value) => encodeURIComponent(value)) : reference.value;
    const judged = classifyUrl(url);
    const place = () => ({ written: reference.written, image: reference.attribute !== 'href', ...html.locate(reference.start, reference.end) });
    if (judged.kind === 'ok' || judged.kind === 'insecure') {
      if (judged.url.protocol === 'http:' || judged.url.protocol === 'https:') targets.push({ url: judged.url.href, local: false, ...place() });
    } else if (judged.kind === 'local' && judged.reason !== 'relative' && judged.reason !== 'file') {
      try {
        targets.push({ url: new URL(url.trim()).href, local: true, ...place() });
      } catch {
        // `//10.0.0.1/x`: no URL to fetch without a scheme (link-invalid or link-local says so).
      }
    }
  }
  return targets;
}

function decodeBasicEntities(value: string): string {
  return value.replace(/&amp;/gi, '&').replace(/&quot;/gi, '"').replace(/&#39;|&apos;/gi, "'").replace(/&lt;/gi, '<').replace(/&gt;/gi, '>');
}

type ReachPlace = Located & { url: string; written: string; image: boolean };

export type ReachFinding =
  | (ReachPlace & { kind: 'link-broken'; status: number })
  | (ReachPlace & { kind: 'link-broken'; reason: 'timeout'; ms: number })
  | (ReachPlace & { kind: 'link-broken'; reason: 'network'; code: string })
  | (ReachPlace & { kind: 'link-redirect'; status: number; target: string });

/** Fetches every distinct address of `targets` once; findings at each place a bad URL is written. */
export async function findUnreachable(targets: readonly LinkTarget[], options: ReachOptions & { includeLocal?: boolean } = {}): Promise<ReachFinding[]> {
  const fetched = targets.filter((target) => options.includeLocal || !target.local);
  const results = await checkUrls(
    fetched.map((t) => t.url),
    options,
  );
  const found: ReachFinding[] = [];
  for (const target of fetched) {
    const result = results.get(target.url)!;
    const base = { range: target.range, ...(target.file ? { file: target.file } : {}), url: target.url, written: target.written, image: target.image };
    if (result.kind === 'broken') found.push({ kind: 'link-broken', ...base, status: result.status });
    else if (result.kind === 'unreachable') found.push(result.reason === 'timeout' ? { kind: 'link-broken', ...base, reason: 'timeout', ms: result.ms } : { kind: 'link-broken', ...base, reason: 'network', code: result.code });
    else if (result.kind === 'redirect') found.push({ kind: 'link-redirect', ...base, status: result.status, target: result.target });
  }
  return found;
}
