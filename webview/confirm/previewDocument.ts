// The message preview's document, prepared in the page before it goes into the sandboxed iframe.
// The CSP keeps the preview from fetching anything remote until the user asks (see the host's
// html.ts); two things it does not cover are handled here:
// - resource hints open connections without a fetch (<link rel=preconnect> does, whatever the CSP
//   says): they are taken out, so even the server of a tracking pixel hears nothing;
// - whether the message has remote images at all, so the page offers "Load remote images" only then.
// Dark mode is also done here, the two ways mail clients do it:
// - a message with dark styles of its own (`@media (prefers-color-scheme: dark)`, or a `color-scheme`
//   meta that names dark) gets them: the dark queries are made to match and the light ones not, as
//   Apple Mail does;
// - any other message is inverted, as Outlook and Gmail do: colours turned round (lightness inverted,
//   hues kept), images and backgrounds turned back so photos and logos stay as they are.
// DOMParser builds an inert document: nothing in it is fetched or run.

/** Resource hints: they fetch or connect ahead of use, and the preview needs none of them. */
const HINTS = new Set(['preconnect', 'dns-prefetch', 'prefetch', 'preload', 'modulepreload', 'prerender']);
/** An absolute or scheme-relative remote URL. */
const REMOTE_URL = /^\s*(?:https?:)?\/\//i;
/** url(...) in CSS that points at a remote URL. */
const REMOTE_CSS_URL = /url\(\s*['"]?\s*(?:https?:)?\/\//gi;
const XLINK = 'http://www.w3.org/1999/xlink';

export interface PreviewDocument {
  /** The HTML for the iframe: the message's own text unless a hint had to go (or dark mode is on). */
  html: string;
  /** How many remote images (img, srcset, background, CSS url()) the message refers to. */
  remoteImages: number;
  /** In dark mode: whether the message's own dark styles are shown, or the message inverted. */
  dark?: 'own' | 'inverted';
}

/** A media feature that asks for dark (or light) colours. */
const DARK_QUERY = /\(\s*prefers-color-scheme\s*:\s*dark\s*\)/gi;
const LIGHT_QUERY = /\(\s*prefers-color-scheme\s*:\s*light\s*\)/gi;
/** Stand-ins that always and never match: a query the iframe's own preference would decide otherwise. */
const ALWAYS = '(min-width: 0px)';
const NEVER = '(max-width: -1px)';
/** Inverts lightness and keeps hues; applied twice (image inside inverted page) it is the identity. */
const INVERT = 'invert(1) hue-rotate(180deg)';
const INVERTED_STYLE = [
  `html { filter: ${INVERT}; background: #fff; }`,
  `img, picture, video, svg image, [background], [style*="background-image" i], [style*="url(" i] { filter: ${INVERT}; }`,
].join('\n');

let last: { source: string; dark: boolean; prepared: PreviewDocument } | undefined;

export function previewDocument(source: string, dark = false): PreviewDocument {
  if (last?.source === source && last.dark === dark) return last.prepared;
  const doc = new DOMParser().parseFromString(source, 'text/html');
  let changed = false;
  for (const link of Array.from(doc.querySelectorAll('link[rel]'))) {
    const rels = (link.getAttribute('rel') ?? '').toLowerCase().split(/\s+/);
    if (rels.some((rel) => HINTS.has(rel))) {
      link.remove();
      changed = true;
    }
  }
  const prepared: PreviewDocument = { html: source, remoteImages: countRemoteImages(doc) };
  if (dark) {
    prepared.dark = applyDarkMode(doc);
    changed = true;
  }
  if (changed) prepared.html = serialize(doc);
  last = { source, dark, prepared };
  return prepared;
}

/** Has the message dark styles of its own (a dark query in a style sheet or media attribute, a color-scheme meta)? */
export function hasOwnDarkStyles(doc: Document): boolean {
  const query = (text: string | null) => text !== null && new RegExp(DARK_QUERY.source, 'i').test(text);
  if (Array.from(doc.querySelectorAll('style')).some((style) => query(style.textContent))) return true;
  if (Array.from(doc.querySelectorAll('[media]')).some((el) => query(el.getAttribute('media')))) return true;
  return Array.from(doc.querySelectorAll('meta[name="color-scheme" i], meta[name="supported-color-schemes" i]')).some((meta) =>
    /\bdark\b/i.test(meta.getAttribute('content') ?? ''),
  );
}

function applyDarkMode(doc: Document): 'own' | 'inverted' {
  if (hasOwnDarkStyles(doc)) {
    const flip = (text: string) => text.replace(DARK_QUERY, ALWAYS).replace(LIGHT_QUERY, NEVER);
    for (const style of Array.from(doc.querySelectorAll('style'))) style.textContent = flip(style.textContent ?? '');
    for (const el of Array.from(doc.querySelectorAll('[media]'))) el.setAttribute('media', flip(el.getAttribute('media') ?? ''));
    // Form controls and scroll bars dark too, as in a client that honours the message's choice.
    doc.documentElement.style.setProperty('color-scheme', 'dark');
    return 'own';
  }
  const style = doc.createElement('style');
  style.setAttribute('data-mailings-dark', 'inverted');
  style.textContent = INVERTED_STYLE;
  (doc.head ?? doc.documentElement).appendChild(style);
  return 'inverted';
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
