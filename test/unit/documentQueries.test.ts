// The editor's questions answered from the core's parse of the text: the same parse the confirm model
// is built on (one parse per text), so hover, links and quick fixes see the document as the checks do.
import * as assert from 'node:assert/strict';
import { FileCache } from '../../src/core/load/fileCache';
import { nodeAt, parseMailingText, valueSpan } from '../../src/core/load/documentQueries';
import { CLEAN, edit, NOW, TempDir } from '../fixtures/core/mailingFixture';
import { buildConfirmModel } from '../../src/core/confirmModel';

describe('document queries: one parse of the text, shared with the confirm model', () => {
  let dir: TempDir;
  beforeEach(async () => (dir = await TempDir.create()));
  afterEach(() => dir.remove());

  it('the model of a text and the editor queries use the same parse (parsed once)', async () => {
    const cache = new FileCache();
    await dir.write({ 'm.mailing.yaml': CLEAN });
    const file = dir.file('m.mailing.yaml');
    await buildConfirmModel(file, { text: CLEAN, cache, now: NOW });
    const parses = cache.counters.parses;
    const parsed = parseMailingText(cache, file, CLEAN);
    assert.equal(cache.counters.parses, parses, 'no second parse for the same text');
    assert.deepEqual(nodeAt(parsed.yaml.root, CLEAN.indexOf('subject') + 2)?.path, ['subject']);
  });

  it('links only what the loader took as a file: inline text is no link; of two equal keys the last counts', async () => {
    const text = edit(CLEAN, '  text: |\n    Hello {{firstName}}\n', '  text: Hello world.txt maybe\n  html: body.html\n');
    await dir.write({ 'body.html': '<p>Hi {{firstName}}</p>', 'm.mailing.yaml': text });
    const model = await buildConfirmModel(dir.file('m.mailing.yaml'), { now: NOW });
    assert.deepEqual(model.references.map((r) => r.path.join('.')), ['content.html']);
    const cache = new FileCache();
    const root = parseMailingText(cache, dir.file('m.mailing.yaml'), text).yaml.root;
    const span = valueSpan(root, ['content', 'html'], text)!;
    assert.equal(text.slice(span[0], span[1]), 'body.html', 'the second `html:` (the one the checks use)');
  });
});
