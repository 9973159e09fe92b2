import * as assert from 'node:assert/strict';
import { at, CLEAN, codes, edit, TempDir, withCode, en } from '../fixtures/core/mailingFixture';

describe('checks: a clean mailing', () => {
  let dir: TempDir;
  beforeEach(async () => (dir = await TempDir.create()));
  afterEach(async () => dir.remove());

  it('has only test-not-sent, on the `test` key', async () => {
    const model = await dir.model(CLEAN);
    assert.deepEqual(codes(model), ['test-not-sent']);
    assert.equal(at(model.diagnostics[0]), '20:1-20:5');
    assert.equal(model.diagnostics[0].step, 'test');
  });
});

describe('checks: setup', () => {
  let dir: TempDir;
  beforeEach(async () => (dir = await TempDir.create()));
  afterEach(async () => dir.remove());

  it('name-missing: an absent name is reported on line 1, with the key to add', async () => {
    const model = await dir.model(edit(CLEAN, 'name: Test mailing\n', ''));
    const [d] = withCode(model, 'name-missing');
    assert.equal(d.severity, 'error');
    assert.equal(d.step, 'setup');
    assert.equal(at(d), '1:1-1:11');
    assert.deepEqual(d.data, { missingKey: 'name', parentPath: [] });
  });

  it('name-missing: an empty name is reported on its key, an empty string on the value', async () => {
    assert.equal(at(withCode(await dir.model(edit(CLEAN, 'name: Test mailing', 'name:')), 'name-missing')[0]), '2:1-2:5');
    assert.equal(at(withCode(await dir.model(edit(CLEAN, 'name: Test mailing', 'name: "  "')), 'name-missing')[0]), '2:7-2:11');
  });

  it('subject-missing, on the key when the value is empty', async () => {
    const model = await dir.model(edit(CLEAN, 'subject: Hello {{firstName}}', 'subject:'));
    const [d] = withCode(model, 'subject-missing');
    assert.equal(en(d), 'Subject is missing');
    assert.equal(at(d), '4:1-4:8');
    // Not also a schema error about an empty value.
    assert.deepEqual(withCode(model, 'schema'), []);
  });

  it('subject-too-long warns above 78 characters, not at 78', async () => {
    const long = 'x'.repeat(79);
    const model = await dir.model(edit(CLEAN, 'subject: Hello {{firstName}}', `subject: ${long}`));
    const [d] = withCode(model, 'subject-too-long');
    assert.equal(d.severity, 'warning');
    assert.equal(at(d), '4:10-4:89');
    assert.deepEqual(withCode(await dir.model(edit(CLEAN, 'subject: Hello {{firstName}}', `subject: ${'x'.repeat(78)}`)), 'subject-too-long'), []);
  });

  it('a subject over two lines is refused', async () => {
    const model = await dir.model(edit(CLEAN, 'subject: Hello {{firstName}}', 'subject: "Hello\\nthere"'));
    const [d] = model.diagnostics.filter((x) => x.step === 'setup');
    assert.equal(d.code, 'schema');
    assert.equal(en(d), 'Subject must be one line');
  });

  it('from-missing on line 1', async () => {
    const [d] = withCode(await dir.model(edit(CLEAN, 'from: Shop News <news@shop.example>\n', '')), 'from-missing');
    assert.equal(at(d), '1:1-1:11');
    assert.deepEqual(d.data, { missingKey: 'from', parentPath: [] });
  });

  it('from-invalid on the value, and on the email of the { name, email } form', async () => {
    const [d] = withCode(await dir.model(edit(CLEAN, 'from: Shop News <news@shop.example>', 'from: Shop <news@shop>')), 'from-invalid');
    assert.equal(at(d), '3:7-3:23');
    assert.equal(en(d), 'From `news@shop` is not a valid address');
    const [e] = withCode(await dir.model(edit(CLEAN, 'from: Shop News <news@shop.example>', 'from: { name: Shop, email: shop.example }')), 'from-invalid');
    assert.equal(at(e), '3:28-3:40');
    const [f] = withCode(await dir.model(edit(CLEAN, 'from: Shop News <news@shop.example>', 'from: a@shop.example, b@shop.example')), 'from-invalid');
    assert.match(en(f), /one address/);
  });

  it('from-invalid is not reported for the accepted forms', async () => {
    for (const from of ['news@shop.example', '<news@shop.example>', `'"Shop, Inc." <news@shop.example>'`, '{ name: Shop, email: news@shop.example }', '{ email: news@shop.example }']) {
      const model = await dir.model(edit(CLEAN, 'from: Shop News <news@shop.example>', `from: ${from}`));
      assert.deepEqual(codes(model), ['test-not-sent'], from);
    }
  });

  it('from-name-is-address warns when the display name is an address', async () => {
    const model = await dir.model(edit(CLEAN, 'from: Shop News <news@shop.example>', 'from: news@shop.example <news@shop.example>'));
    const [d] = withCode(model, 'from-name-is-address');
    assert.equal(d.severity, 'warning');
    assert.equal(at(d), '3:7-3:44');
    assert.equal(model.hasErrors, true); // test-not-sent, not the warning
    assert.equal(model.diagnostics.filter((x) => x.severity === 'error').length, 1);
  });

  it('reply-to-invalid on the value; a valid Reply-To is fine', async () => {
    const model = await dir.model(edit(CLEAN, 'subject:', 'replyTo: support@\nsubject:'));
    const [d] = withCode(model, 'reply-to-invalid');
    assert.equal(at(d), '4:10-4:18');
    assert.equal(d.step, 'setup');
    const fine = await dir.model(edit(CLEAN, 'subject:', 'replyTo: Support <support@shop.example>\nsubject:'));
    assert.deepEqual(codes(fine), ['test-not-sent']);
    assert.deepEqual(fine.mailing.replyTo, { name: 'Support', email: 'support@shop.example' });
  });
});
