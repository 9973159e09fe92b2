// Link reachability against a real HTTP server on 127.0.0.1: 200, 301 (with its target), 404, a
// server that never answers (timeout), one that refuses HEAD (then GET); each URL fetched once; and
// `mailings check-links` (the built CLI) over a mailing that links to it.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { inboxHtml } from '../../src/core/load/html/htmlSource';
import { checkUrls, findUnreachable, forgetReachability, linkTargets } from '../../src/core/inbox/reachability';
import { runCli } from '../support/cli';
import { BASE_YAML, loadWith, positionOf } from '../support/inboxFixture';
import { tempDir } from '../support/resolvedMailings';

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
    assert.deepEqual(never, { url: `${base}/never`, kind: 'unreachable', reason: 'timeout', ms: 500 });
    assert.deepEqual(results.get(`${base}/nohead`), { url: `${base}/nohead`, kind: 'ok', status: 200 });
    assert.deepEqual(hits.get('/ok'), ['HEAD']);
    assert.deepEqual(hits.get('/nohead'), ['HEAD', 'GET']);
    assert.deepEqual(hits.get('/missing'), ['HEAD', 'GET']);
    // A working address is kept for the process's life; a redirect or a broken one is asked again
    // (it may have been fixed on the server since).
    hits.clear();
    await checkUrls(urls.filter((u) => !u.endsWith('/never')), { timeoutMs: 500 });
    assert.deepEqual([...hits.keys()].sort(), ['/missing', '/moved']);
  });

  it('reports link-broken and link-redirect at the links and images of the HTML, merge fields filled with the first recipient', async () => {
    const dir = await tempDir('mailings-reach-');
    try {
      const html = [
        `<p><a href="${base}/ok?e={{email}}">fine</a> <a href="${base}/moved">moved</a></p>`,
        `<p><img src="${base}/missing" alt="gone"> <a href="${base}/missing">again</a></p>`,
      ].join('\n');
      const loaded = await loadWith(dir, { 'news.html': html });
      const targets = linkTargets(loaded, inboxHtml(loaded)!);
      assert.ok(targets.every((t) => t.local), '127.0.0.1 is a local address');
      const found = await findUnreachable(targets, { includeLocal: true, timeoutMs: 2000 });
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
      assert.deepEqual(await findUnreachable(targets), []);
      assert.equal(hits.size, 0);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('mailings check-links: each finding at its line, in English and Dutch, --json, exit 1 on a broken link; local addresses only with --include-local', async () => {
    const dir = await tempDir('mailings-check-links-');
    try {
      const html = [
        `<p><a href="${base}/ok">fine</a> <a href="${base}/moved">moved</a></p>`,
        `<p><img src="${base}/missing" alt="gone"></p>`,
        `<p><a href="${base}/never">slow</a></p>`,
      ].join('\n');
      const yaml = BASE_YAML.replace('https://acme.example/u?e={{email}}', `${base}/ok/u?e={{email}}`);
      await loadWith(dir, { 'news.html': html, 'news.mailing.yaml': yaml });
      const [moved, missing, never] = [`${base}/moved`, `${base}/missing`, `${base}/never`].map((url) => positionOf(html, url).map((n) => n + 1).join(':'));

      const english = await runCli(['check-links', '--include-local', '--timeout', '1', 'news.mailing.yaml'], { cwd: dir });
      assert.equal(english.code, 1, english.stderr);
      assert.deepEqual(english.stdout.trim().split('\n'), [
        `news.html:${moved}: info link-redirect: Link \`${base}/moved\` redirects (301) to \`${base}/ok/new\`: link to the target unless the detour is meant (a tracking or short link)`,
        `news.html:${missing}: warning link-broken: Image address \`${base}/missing\` is broken: the server answers 404`,
        `news.html:${never}: warning link-broken: Link \`${base}/never\` does not answer within 1 second`,
      ]);
      assert.equal(english.stderr, 'news.mailing.yaml: Links checked: 5 addresses: 2 broken, 1 redirected\n');
      assert.deepEqual(hits.get('/ok/u?e=ann%40example.test'), ['HEAD'], 'the unsubscribe URL of the first recipient');

      const dutch = await runCli(['check-links', '--include-local', '--timeout', '1', '--lang', 'nl', '--json', 'news.mailing.yaml'], { cwd: dir });
      assert.equal(dutch.code, 1, dutch.stderr);
      const entries = JSON.parse(dutch.stdout) as { file: string; line: number; code: string; severity: string; message: string; args: { status?: number } }[];
      assert.deepEqual(
        entries.map((e) => [e.file, e.line, e.code, e.severity, e.args.status]),
        [
          ['news.html', 1, 'link-redirect', 'info', 301],
          ['news.html', 2, 'link-broken', 'warning', 404],
          ['news.html', 3, 'link-broken', 'warning', undefined],
        ],
      );
      assert.equal(entries[1].message, `Afbeeldingsadres \`${base}/missing\` werkt niet: de server antwoordt 404`);
      assert.equal(entries[2].message, `Link \`${base}/never\` geeft binnen 1 seconde geen antwoord`);

      // Without --include-local, 127.0.0.1 (a link-local error of validate already) is not fetched.
      hits.clear();
      const local = await runCli(['check-links', 'news.mailing.yaml'], { cwd: dir });
      assert.deepEqual([local.code, local.stdout, local.stderr], [0, '', 'news.mailing.yaml: Links checked: 0 addresses: 0 broken, 0 redirected\n']);
      assert.equal(hits.size, 0);

      // Only what answers well: exit 0, the redirect still told.
      await fs.writeFile(path.join(dir, 'news.html'), `<p><a href="${base}/ok">fine</a> <a href="${base}/moved">moved</a></p>`);
      const fine = await runCli(['check-links', '--include-local', 'news.mailing.yaml'], { cwd: dir });
      assert.equal(fine.code, 0, fine.stdout + fine.stderr);
      assert.match(fine.stdout, /^news\.html:1:\d+: info link-redirect: /);

      // The HTML gone: its error is said, exit 1; a file that does not exist is a usage error.
      await fs.rm(path.join(dir, 'news.html'));
      const gone = await runCli(['check-links', 'news.mailing.yaml'], { cwd: dir });
      assert.equal(gone.code, 1);
      assert.match(gone.stdout, /^news\.mailing\.yaml:6:9: error file-missing: File news\.html does not exist$/m);
      const absent = await runCli(['check-links', 'nothing.mailing.yaml'], { cwd: dir });
      assert.equal(absent.code, 2);
      assert.match(absent.stderr, /no such file: nothing\.mailing\.yaml/);
      const badTimeout = await runCli(['check-links', '--timeout', 'soon', 'news.mailing.yaml'], { cwd: dir });
      assert.equal(badTimeout.code, 2);
      assert.match(badTimeout.stderr, /--timeout: a number of seconds from 0\.1 to 600, not soon/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
