// The HTML shell of the Confirm / Statistics webview and its Content Security Policy. Plain Node
// (no `vscode` import) so it is tested directly; the panel passes in asWebviewUri'd URLs and cspSource.
import { randomBytes } from 'node:crypto';

export interface WebviewHtmlOptions {
  /** webview.cspSource: the origin the webview serves local resources from. */
  cspSource: string;
  /** A fresh random nonce per HTML document. */
  nonce: string;
  /** asWebviewUri(dist/webview/confirm.js) and (…/confirm.css). */
  scriptUri: string;
  styleUri: string;
  /** <html lang>: the VS Code display language. */
  lang: string;
  title: string;
  /** The user asked to load the preview's remote images (see contentSecurityPolicy). */
  remoteImages?: boolean;
}

/** 128 random bits, base64: a nonce that a page cannot guess. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * default-src 'none', scripts only with the nonce (no inline handlers, no eval), styles, images and
 * fonts only from the extension's own files. The message preview is a sandboxed srcdoc iframe, and
 * srcdoc documents inherit this policy, so it is also what keeps the preview from fetching anything:
 * - style-src 'unsafe-inline': mail HTML is styled with <style> and style="" almost always, so without
 *   this the preview would not look like the message. (Scripts stay nonce-only; the page itself sets
 *   styles only through its stylesheet and CSSOM.) A style nonce would turn 'unsafe-inline' off, so
 *   none. Remote stylesheets and @import stay blocked (no https: in style-src), as do remote fonts.
 * - img-src data: (embedded images) and, only once the user asked ("Load remote images", per
 *   panel), https:. Remote images are fetched with the recipient's merge values in their addresses
 *   (tracking pixels), so, as in a mail client, nothing remote is loaded until then. CSS url()
 *   backgrounds are images: the same rule.
 * The iframe needs no frame-src: about:srcdoc is not fetched, and sandbox="" (no allow-scripts)
 * keeps it script-free whatever the message contains. Resource hints that open connections without
 * a fetch (preconnect) are no CSP's business: the page removes them from the preview.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string, remoteImages = false): string {
  return [
    `default-src 'none'`,
    `style-src ${cspSource} 'unsafe-inline'`,
    remoteImages ? `img-src ${cspSource} https: data:` : `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `base-uri 'none'`,
    `form-action 'none'`,
  ].join('; ');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The document VS Code loads into the webview: a mount point, the stylesheet and the module script. */
export function webviewHtml(o: WebviewHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=]{16,}$/.test(o.nonce)) throw new Error('webviewHtml: the nonce must be base64 of at least 12 random bytes');
  const a = escapeAttribute;
  return `<!DOCTYPE html>
<html lang="${a(o.lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${a(contentSecurityPolicy(o.cspSource, o.nonce, o.remoteImages ?? false))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${a(o.styleUri)}">
<title>${a(o.title)}</title>
</head>
<body>
<div id="app"></div>
<script type="module" nonce="${a(o.nonce)}" src="${a(o.scriptUri)}"></script>
</body>
</html>
`;
}
