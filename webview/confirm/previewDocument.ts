// The message preview's document, prepared in the page before it goes into the sandboxed iframe.
// The CSP keeps the preview from fetching anything remote until the user asks (see the host's
// html.ts); two things it does not cover are handled here:
// - resource hints open connections without a fetch (<link rel=preconnect> does, whatever the CSP
//   says): they are taken out, so even the server of a tracking pixel hears nothing;
// - whether the message has remote images at all, so the page offers "Load remote images" only then.
// DOMParser builds an inert document: nothing in it is fetched or run.

/** Resource hints: they fetch or connect ahead of use, and the preview needs none of them. */
const HINTS = new Set(['preconnect', 'dns-prefetch', 'prefetch', 'preload', 'modulepreload', 'prerender']);
/** An absolute or scheme-relative remote URL. */
const REMOTE_URL = /^\s*(?:https?:)?\/\//i;
/** url(...) in CSS that points at a remote URL. */
const REMOTE_CSS_URL = /url\(\s*['"]?\s*(?:https?:)?\/\//gi;
const XLINK = 'http://www.w3.org/1999/xlink';

export interface PreviewDocument {
  /** The HTML for the iframe: the message's own text unless a hint had to go. */
  html: string;
  /** How many remote images (img, srcset, background, CSS url()) the message refers to. */
  remoteImages: number;
}

let last: { source: string; prepared: PreviewDocument } | undefined;

export function previewDocument(source: string): PreviewDocument {
  if (last?.source === source) return last.prepared;
  const doc = new DOMParser().parseFromString(source, 'text/html');
  let removed = 0;
  for (const link of Array.from(doc.querySelectorAll('link[rel]'))) {
    const rels = (link.getAttribute('rel') ?? '').toLowerCase().split(/\s+/);
    if (rels.some((rel) => HINTS.has(rel))) {
      link.remove();
      removed++;
    }
  }
  const prepared = { html: removed > 0 ? serialize(doc) : source, remoteImages: countRemoteImages(doc) };
  last = { source, prepared };
  return prepared;
}

function countRemoteImages(doc: Document): number {
  const remote = (value: string | null) => value !== null && REMOTE_URL.test(value);
  const srcsetRemote = (value: string | null) => value !== null && value.split(',').some((candidate) => remote(candidate.trim().split(/\s+/)[0] ?? ''));
  let count = 0;
  for (const el of Array.from(doc.querySelectorAll('img[src], input[type="image" i][src]'))) if (remote(el.getAttribute('src'))) count++;
  for (const el of Array.from(doc.querySelectorAll('[srcset]'))) if (srcsetRemote(el.getAttribute('srcset'))) count++;
  for (const el of Array.from(doc.querySelectorAll('[background], video[poster]'))) if (remote(el.getAttribute('background') ?? el.getAttribute('poster'))) count++;
  for (const el of Array.from(doc.getElementsByTagName('image'))) if (remote(el.getAttribute('href') ?? el.getAttributeNS(XLINK, 'href'))) count++;
  for (const el of Array.from(doc.querySelectorAll('[style]'))) count += (el.getAttribute('style') ?? '').match(REMOTE_CSS_URL)?.length ?? 0;
  for (const el of Array.from(doc.querySelectorAll('style'))) count += (el.textContent ?? '').match(REMOTE_CSS_URL)?.length ?? 0;
  return count;
}

/** The document as HTML again, with its doctype (without one the iframe would render in quirks mode, or the other way round). */
function serialize(doc: Document): string {
  const doctype = doc.doctype ? `${new XMLSerializer().serializeToString(doc.doctype)}\n` : '';
  return doctype + doc.documentElement.outerHTML;
}
