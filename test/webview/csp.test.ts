/// <reference lib="dom" />
// The HTML the host gives the webview, parsed by Chromium's own HTML parser: a strict CSP (no remote
// image, stylesheet or font), scripts only by nonce and from a file, no inline script, no inline
// event handlers, no javascript: URLs. (remoteImages.test.ts: the CSP once remote images are asked for.)
import * as assert from 'node:assert/strict';
import { contentSecurityPolicy, makeNonce, webviewHtml } from '../../src/extension/webview/html';
import { WebviewHarness } from './support/pageHarness';

describe('webview HTML and CSP (Chromium parser)', function () {
  this.timeout(60000);
  let harness: WebviewHarness;
  before(async () => {
    harness = await WebviewHarness.start();
  });
  after(async () => {
    await harness?.close();
  });

  it('has a strict CSP and nothing inline that runs', async () => {
    const page = await harness.open();
    try {
      const html = harness.lastHtml;
      const facts = await page.evaluate((source) => {
        const doc = new DOMParser().parseFromString(source, 'text/html');
        const metas = [...doc.querySelectorAll('meta[http-equiv="Content-Security-Policy" i]')];
        const scripts = [...doc.querySelectorAll('script')].map((s) => ({ nonce: s.getAttribute('nonce'), src: s.getAttribute('src'), text: s.textContent ?? '' }));
        const handlers = [...doc.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`));
        const jsUrls = [...doc.querySelectorAll('[href], [src], [action]')].filter((el) =>
          ['href', 'src', 'action'].some((name) => /^\s*javascript:/i.test(el.getAttribute(name) ?? '')),
        ).length;
        const styles = doc.querySelectorAll('style, [style]').length;
        return { csp: metas.map((m) => m.getAttribute('content') ?? ''), scripts, handlers, jsUrls, styles };
      }, html);

      assert.equal(facts.csp.length, 1, 'one CSP meta');
      const directives = new Map(facts.csp[0].split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values] as const));
      assert.deepEqual(directives.get('default-src'), ["'none'"]);
      const scriptSrc = directives.get('script-src') ?? [];
      assert.equal(scriptSrc.length, 1, `script-src is only the nonce: ${scriptSrc}`);
      const nonce = /^'nonce-([A-Za-z0-9+/=]+)'$/.exec(scriptSrc[0])?.[1];
      assert.ok(nonce && nonce.length >= 22, 'a nonce of 128 bits');
      assert.ok(!facts.csp[0].includes('unsafe-eval'));
      assert.deepEqual(directives.get('base-uri'), ["'none'"]);
      // Nothing remote for the preview until the user asks: images only from the webview and data:.
      assert.deepEqual(directives.get('img-src'), [harness.origin, 'data:']);
      assert.deepEqual(directives.get('style-src'), [harness.origin, "'unsafe-inline'"]);
      assert.deepEqual(directives.get('font-src'), [harness.origin]);
      assert.equal(directives.get('frame-src'), undefined, 'no frames but the srcdoc preview (default-src none)');
      assert.ok(facts.scripts.length >= 1);
      for (const script of facts.scripts) {
        assert.equal(script.nonce, nonce, 'every script carries the nonce');
        assert.ok(script.src, 'scripts come from files');
        assert.equal(script.text.trim(), '', 'no inline script');
      }
      assert.deepEqual(facts.handlers, [], 'no inline event handlers');
      assert.equal(facts.jsUrls, 0);
      assert.equal(facts.styles, 0, 'no inline style in the shell');
    } finally {
      await page.close();
    }
  });

  it('makes a fresh nonce per document and refuses a weak one', () => {
    const a = makeNonce();
    const b = makeNonce();
    assert.notEqual(a, b);
    const options = { cspSource: 'https://x.vscode-cdn.net', scriptUri: 's.js', styleUri: 's.css', lang: 'nl', title: 'Bevestigen' };
    assert.throws(() => webviewHtml({ ...options, nonce: 'abc' }));
    assert.throws(() => webviewHtml({ ...options, nonce: `${a}' 'unsafe-inline` }));
    assert.match(contentSecurityPolicy('https://x.vscode-cdn.net', a), /img-src https:\/\/x\.vscode-cdn\.net data:;/);
    assert.match(contentSecurityPolicy('https://x.vscode-cdn.net', a, true), /img-src https:\/\/x\.vscode-cdn\.net https: data:;/);
  });
});
