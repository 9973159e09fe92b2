// Local images: resolved under the path policy, found or not before sending, measured, carried by
// the confirm model into what is sent, frozen in the snapshot, and shown in the preview as data: URIs.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { buildConfirmModel } from '../../src/core/confirmModel';
import { contentHash } from '../../src/core/contentHash';
import { IMAGE_MAX_BYTES, IMAGES_MAX_BYTES } from '../../src/core/load/html/localImages';
import { htmlWithDataImages } from '../../src/core/render/inlineImages';
import { writeSnapshot, AttachmentChangedError } from '../../src/core/state/snapshot';
import type { ResolvedMailing } from '../../src/core/types';
import { BASE_YAML, loadWith, positionOf } from '../support/inboxFixture';
import { makeMailing, tempDir } from '../support/mailingFixture';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
const at = (f: { range: { start: { line: number; column: number } } }) => [f.range.start.line, f.range.start.column];

describe('inbox: local images', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir('mailings-images-');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('resolves each local <img> once per file, relative to the HTML file, with size, hash and a Content-ID', async () => {
    const html = '<img src="img/logo.png" alt="a">\n<img src="img/logo%2Epng" alt="b"> <img src="img/logo.png?v=2" alt="c"> <img src="https://acme.example/r.png" alt="r">';
    const loaded = await loadWith(dir, { 'mail/news.html': html, 'mail/img/logo.png': PNG, 'news.mailing.yaml': BASE_YAML.replace('html: news.html', 'html: mail/news.html') });
    assert.deepEqual(loaded.imageFindings, []);
    assert.equal(loaded.images.length, 1);
    const [image] = loaded.images;
    assert.equal(image.path, await fs.realpath(path.join(dir, 'mail/img/logo.png')));
    assert.deepEqual(image.sources, ['img/logo.png', 'img/logo%2Epng', 'img/logo.png?v=2']);
    assert.equal(image.size, PNG.length);
    assert.match(image.cid, /^img1\.[0-9a-f]{16}@mailings$/);
    assert.ok(loaded.referencedFiles.includes(image.path), 'the image is watched');
  });

  it('image-missing at every src naming a missing file; path-outside for a file outside the workspace (never read)', async () => {
    const outside = await tempDir('mailings-outside-');
    try {
      await fs.writeFile(path.join(outside, 'secret.png'), PNG);
      await fs.mkdir(path.join(dir, 'ws'));
      await fs.symlink(path.join(outside, 'secret.png'), path.join(dir, 'ws', 'link.png'));
      const html = '<p><img src="gone.png" alt="x"></p>\n<p><img src="gone.png" alt="y"> <img src="link.png" alt="l"> <img src="../../etc/x.png" alt="e"></p>';
      const loaded = await loadWith(path.join(dir, 'ws'), { 'news.html': html });
      const summary = loaded.imageFindings.map((f) => [f.kind, 'src' in f ? f.src : '', ...at(f)]);
      assert.deepEqual(summary, [
        ['path-outside', 'link.png', ...positionOf(html, 'link.png')],
        ['path-outside', '../../etc/x.png', ...positionOf(html, '../../etc/x.png')],
        ['image-missing', 'gone.png', ...positionOf(html, 'gone.png')],
        ['image-missing', 'gone.png', ...positionOf(html, 'gone.png', '<p><img src="gone.png" alt="y">')],
      ]);
      assert.deepEqual(loaded.images, []);
      const model = await buildConfirmModel(path.join(dir, 'ws', 'news.mailing.yaml'));
      assert.equal(model.mailing.images, undefined);
    } finally {
      await fs.rm(outside, { recursive: true, force: true });
    }
  });

  it('image-large for one image over 1 MB and for all local images together over 5 MB; not below', async () => {
    const big = Buffer.alloc(IMAGE_MAX_BYTES + 1, 1);
    const html = Array.from({ length: 5 }, (_, i) => `<img src="i${i}.png" alt="${i}">`).join('\n');
    const files: Record<string, Buffer> = { 'news.html': Buffer.from(html) };
    for (let i = 0; i < 5; i++) files[`i${i}.png`] = i === 0 ? big : Buffer.alloc(IMAGE_MAX_BYTES, 2 + i);
    const loaded = await loadWith(dir, files);
    assert.deepEqual(
      loaded.imageFindings.map((f) => (f.kind === 'image-large' ? [f.scope, f.bytes, f.limit, ...at(f)] : f.kind)),
      [
        ['one', IMAGE_MAX_BYTES + 1, IMAGE_MAX_BYTES, ...positionOf(html, 'i0.png')],
        ['all', 5 * IMAGE_MAX_BYTES + 1, IMAGES_MAX_BYTES, ...positionOf(html, 'i0.png')],
      ],
    );
    const small = await loadWith(dir, { 'news.html': '<img src="i1.png" alt="1">' });
    assert.deepEqual(small.imageFindings, []);
  });

  it('the confirm model carries the images into what is sent; a changed image changes the content hash', async () => {
    await loadWith(dir, { 'news.html': '<p>Hi {{firstName}}</p><img src="logo.png" alt="Logo">', 'logo.png': PNG });
    const file = path.join(dir, 'news.mailing.yaml');
    const model = await buildConfirmModel(file);
    assert.equal(model.mailing.images?.length, 1);
    const before = model.contentHash;
    await fs.writeFile(path.join(dir, 'logo.png'), Buffer.concat([PNG, Buffer.from([0])]));
    const after = await buildConfirmModel(file);
    assert.notEqual(after.contentHash, before);
    const without = { ...model.mailing, images: undefined, file: `${file}-copy` };
    assert.equal(contentHash(without), contentHash({ ...without, images: [] }), 'no images: the hash of before images existed');
  });

  it('the snapshot freezes the images and refuses one changed since it was checked', async () => {
    await fs.writeFile(path.join(dir, 'logo.png'), PNG);
    const loaded = await loadWith(dir, { 'news.html': '<img src="logo.png" alt="Logo">', 'logo.png': PNG });
    const mailing: ResolvedMailing = { ...(await makeMailing({ dir })), html: { source: '<img src="logo.png" alt="Logo">', file: path.join(dir, 'news.html') }, images: loaded.images };
    const stateDir = path.join(dir, 'state');
    const frozen = await writeSnapshot(stateDir, { version: 1, file: mailing.file, confirmedAt: new Date().toISOString(), hash: 'h', messageIdToken: 't', mailing });
    const copy = frozen.mailing.images![0].path;
    assert.ok(copy.startsWith(path.join(stateDir, 'images')));
    assert.ok((await fs.readFile(copy)).equals(PNG));
    await fs.writeFile(path.join(dir, 'logo.png'), 'changed');
    await assert.rejects(writeSnapshot(path.join(dir, 'state2'), { version: 1, file: mailing.file, confirmedAt: '', hash: 'h', messageIdToken: 't', mailing }), AttachmentChangedError);
  });

  it('the preview shows local images as data: URIs; remote and missing ones stay as written', async () => {
    const html = '<img src="logo.png" alt="a"><img src="https://acme.example/r.png" alt="r">';
    const loaded = await loadWith(dir, { 'news.html': html, 'logo.png': PNG });
    const preview = await htmlWithDataImages(html, path.join(dir, 'news.html'), loaded.images);
    assert.equal(preview, `<img src="data:image/png;base64,${PNG.toString('base64')}" alt="a"><img src="https://acme.example/r.png" alt="r">`);
    await fs.rm(path.join(dir, 'logo.png'));
    assert.equal(await htmlWithDataImages(html, path.join(dir, 'news.html'), loaded.images), html);
  });
});
