// Local images through the whole path: a mailing on disk whose HTML has `<img src="logo.png">`, a
// test send and Send now over a real SMTP server on 127.0.0.1; every message arrives with the logo
// as an inline part that mailparser resolves into the HTML, and the snapshot holds its own copy.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { simpleParser } from 'mailparser';
import { sendNow, sendTest } from '../../src/core/actions';
import { buildConfirmModel } from '../../src/core/confirmModel';
import type { SendContext } from '../../src/core/types';
import { tempDir } from '../support/mailingFixture';
import { startSmtpServer, type TestSmtpServer } from '../support/smtpServer';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5ad3e1b0000000049454e44ae426082', 'hex');

describe('local images over SMTP', function () {
  this.timeout(120_000);
  let dir: string;
  let server: TestSmtpServer | undefined;
  beforeEach(async () => {
    dir = await tempDir('mailings-cid-');
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('every message, the test included, carries the logo as an inline CID part that mailparser resolves', async () => {
    server = await startSmtpServer();
    await fs.mkdir(path.join(dir, 'img'));
    await fs.writeFile(path.join(dir, 'img', 'logo.png'), PNG);
    await fs.writeFile(path.join(dir, 'news.html'), '<html><body><img src="img/logo.png" alt="Acme" width="1"><p>Hi {{firstName | "reader"}}</p>\n<p><a href="https://acme.example/u?e={{email}}">Unsubscribe</a></p></body></html>\n');
    await fs.writeFile(path.join(dir, 'people.csv'), 'email,firstName\nann@example.test,Ann\nbob@example.test,\n');
    const file = path.join(dir, 'news.mailing.yaml');
    await fs.writeFile(
      file,
      [
        'version: 1',
        'name: Logo news',
        'from: Acme News <news@acme.example>',
        'subject: "Hello {{firstName | \'reader\'}}"',
        'content:',
        '  html: news.html',
        'targetList:',
        '  include:',
        '    - file: people.csv',
        'unsubscribe:',
        '  url: https://acme.example/u?e={{email}}',
        'test:',
        '  recipients: [me@acme.example]',
        'sending:',
        '  transport: smtp',
        '',
      ].join('\n'),
    );
    const ctx: SendContext = { stateRoot: path.join(dir, '.mailings'), smtp: { host: '127.0.0.1', port: server.port, security: 'none' }, smtpThread: 'main' };
    const options = { stateRoot: ctx.stateRoot, smtpConfigured: true };
    await sendTest(await buildConfirmModel(file, options), ctx);
    const model = await buildConfirmModel(file, options);
    assert.deepEqual(model.diagnostics.filter((d) => d.severity === 'error'), []);
    const stats = await sendNow(model, ctx);
    assert.equal(stats.sent, 2);
    assert.equal(server.received.length, 3);
    const subjects: string[] = [];
    for (const message of server.received) {
      const parsed = await simpleParser(message.raw);
      subjects.push(String(parsed.subject));
      const [logo] = parsed.attachments;
      assert.equal(parsed.attachments.length, 1);
      assert.equal(logo.contentDisposition, 'inline');
      assert.equal(logo.contentType, 'image/png');
      assert.match(String(logo.contentId), /^<img1\.[0-9a-f]{16}@mailings>$/);
      assert.ok(logo.content.equals(PNG));
      assert.ok(String(parsed.html).includes(`src="data:image/png;base64,${PNG.toString('base64')}"`), 'mailparser resolved the cid: link');
      assert.match(message.raw.toString('latin1'), /Content-Type: multipart\/related; type="text\/html"/);
    }
    assert.deepEqual(subjects.sort(), ['Hello Ann', 'Hello reader', '[TEST] Hello Ann']);
    // What was confirmed holds its own copy of the image.
    const stateDirs = await fs.readdir(path.join(ctx.stateRoot, 'mailings'));
    const images = await fs.readdir(path.join(ctx.stateRoot, 'mailings', stateDirs[0], 'images'));
    assert.deepEqual(images, ['0-logo.png']);
  });
});
