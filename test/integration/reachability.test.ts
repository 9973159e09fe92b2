// Link reachability against a real HTTP server on 127.0.0.1: 200, 301 (with its target), 404, a
// server that never answers (timeout), one that refuses HEAD (then GET); each URL fetched once.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { checkUrls, findUnreachable, forgetReachability } from '../../src/core/inbox/reachability';
import { loadWith, positionOf } from '../support/inboxFixture';
import { tempDir } from '../support/mailingFixture';

describe('link reachability against a real HTTP server', function () {
  this.timeout(30_000);
  let server: http.Server;
  let base: string;
  const hits = new Map<string, string[]>();
  const sockets = new Set<Socket>();

  before(async () => {
    server = http.createServer((request, response) => {
      const url = request.url ?? '';
      hits.set(url, [...(hits.get(url) ?? []), request.method ?? '']);
      if (url.startsWith('/ok')) response.writeHead(200).end('fine');
      else if (url === '/moved') response.writeHead(301, { location: '/ok/new' }).end();
      else if (url === '/missing') response.writeHead(404).end('no');
      else if (url === '/nohead') response.writeHead(request.method === 'HEAD' ? 405 : 200).end();
      else if (url === '/never') return; // keeps the request open: no answer, ever
      else response.writeHead(500).end();
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    hits.clear();
    forgetReachability();
  });

  it('tells ok, redirect (with the target), broken and no answer apart; HEAD first, GET when HEAD is refused', async () => {
    const urls = ['/ok', '/moved', '/missing', '/never', '/nohead', '/ok'].map((p) => base + p);
    const results = await checkUrls(urls, { timeoutMs: 500, concurrency: 2 });
    assert.equal(results.size, 5, 'each distinct URL once');
    assert.deepEqual(results.get(`${base}/ok`), { url: `${base}/ok`, kind: 'ok', status: 200 });
    assert.deepEqual(results.get(`${base}/moved`), { url: `${base}/moved`, kind: 'redirect', status: 301, target: `${base}/ok/new` });
    assert.deepEqual(results.get(`${base}/missing`), { url: `${base}/missing`, kind: 'broken', status: 404 });
    const never = results.get(`${base}/never`);
    assert.equal(never?.kind, 'unreachable');
    assert.equal((never as { reason: string }).reason, 'timeout');
    assert.deepEqual(results.get(`${base}/nohead`), { url: `${base}/nohead`, kind: 'ok', status: 200 });
    assert.deepEqual(hits.get('/ok'), ['HEAD']);
    assert.deepEqual(hits.get('/nohead'), ['HEAD', 'GET']);
    assert.deepEqual(hits.get('/missing'), ['HEAD', 'GET']);
    // Kept for the process's life: asked again, nothing is fetched again but what had no answer.
    hits.clear();
    await checkUrls(urls.filter((u) => !u.endsWith('/never')), { timeoutMs: 500 });
    assert.equal(hits.size, 0);
  });

  it('reports link-broken and link-redirect at the links and images of the HTML, merge fields filled with the first recipient', async () => {
    const dir = await tempDir('mailings-reach-');
    try {
      const html = [
        `<p><a href="${base}/ok?e={{email}}">fine</a> <a href="${base}/moved">moved</a></p>`,
        `<p><img src="${base}/missing" alt="gone"> <a href="${base}/missing">again</a></p>`,
      ].join('\n');
      const loaded = await loadWith(dir, { 'news.html': html });
      const found = await findUnreachable(loaded, { includeLocal: true, timeoutMs: 2000 });
      assert.deepEqual(
        found.map((f) => [f.kind, f.written, f.image, 'status' in f ? f.status : undefined, f.range.start.line, f.range.start.column]),
        [
          ['link-redirect', `${base}/moved`, false, 301, ...positionOf(html, `${base}/moved`)],
          ['link-broken', `${base}/missing`, true, 404, ...positionOf(html, `${base}/missing`)],
          ['link-broken', `${base}/missing`, false, 404, ...positionOf(html, `${base}/missing`, '"gone">')],
        ],
      );
      assert.deepEqual(hits.get(`/ok?e=${encodeURIComponent('ann@example.test')}`), ['HEAD']);
      assert.deepEqual(hits.get('/missing'), ['HEAD', 'GET'], 'fetched once for both places');
      // Without includeLocal, a 127.0.0.1 address (already link-local) is not fetched.
      hits.clear();
      forgetReachability();
      assert.deepEqual(await findUnreachable(loaded), []);
      assert.equal(hits.size, 0);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
