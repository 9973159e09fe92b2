// The suppression list wired into sending, as a user meets it through the CLI against a real SMTP
// server: send-time 550 5.1.1 rejections suppress the addresses (with the reply as the reason), and
// the next mailing to the same list leaves out exactly those, counted as suppressed.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { getStatistics } from '../../src/core/actions';
import { buildConfirmModel } from '../../src/core/confirmModel';
import { STATE_DIR_NAME } from '../../src/core/state/paths';
import { SuppressionList } from '../../src/core/suppression/suppressionList';
import { runCli } from '../support/cli';
import { tempDir } from '../support/mailingFixture';
import { startSmtpServer, type TestSmtpServer } from '../support/smtpServer';

const EXAMPLE = path.join(__dirname, '..', '..', '..', 'examples', 'newsletter');
const REJECTED = ['emma.jansen@example.com', 'lucas.devries@example.com', 'daan.visser@example.com'];

describe('suppression at send time (CLI over SMTP)', function () {
  this.timeout(120_000);
  let dir: string;
  let server: TestSmtpServer | undefined;

  beforeEach(async () => {
    dir = await tempDir('mailings-suppression-send-');
    await fs.cp(EXAMPLE, dir, { recursive: true });
    const file = path.join(dir, 'newsletter.mailing.yaml');
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.replace('transport: outbox', 'transport: smtp'));
    await fs.writeFile(path.join(dir, 'december.mailing.yaml'), text.replace('transport: outbox', 'transport: smtp').replace('name: November newsletter', 'name: December newsletter').replace('your November reading list', 'your December reading list'));
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function send(file: string): Promise<void> {
    const env = { MAILINGS_SMTP_URL: `smtp://127.0.0.1:${server!.port}?security=none`, MAILINGS_SMTP_PASSWORD: '' };
    const tested = await runCli(['test', file], { cwd: dir, env });
    assert.equal(tested.code, 0, tested.stderr);
    const sent = await runCli(['send', file, '--now'], { cwd: dir, env });
    assert.equal(sent.code, 0, sent.stderr + sent.stdout);
  }

  it('550 5.1.1 suppresses the three addresses with the reply; the next mailing to the list skips exactly those', async () => {
    server = await startSmtpServer({ reject: (rcpt) => REJECTED.includes(rcpt) });
    await send('newsletter.mailing.yaml');
    const stateRoot = path.join(dir, STATE_DIR_NAME);
    const entries = await new SuppressionList(stateRoot).list();
    assert.deepEqual(entries.map((e) => e.address).sort(), [...REJECTED].sort());
    for (const entry of entries) {
      assert.equal(entry.reason, 'hard-bounce');
      assert.match(entry.detail ?? '', /550.*5\.1\.1/);
      assert.match(entry.mailing ?? '', /newsletter/);
    }
    const first = await getStatistics(path.join(dir, 'newsletter.mailing.yaml'), stateRoot);
    assert.deepEqual([first.total, first.sent, first.failed, first.suppressed, first.bounced], [37, 34, 3, 0, 3]);

    const before = server.received.length;
    // The Confirm overview says so before anything is sent.
    const model = await buildConfirmModel(path.join(dir, 'december.mailing.yaml'), { stateRoot, smtpConfigured: true });
    const facts = model.steps?.find((step) => step.step === 'targetList')?.facts ?? [];
    assert.deepEqual(facts.find((fact) => fact.code === 'summary-suppression')?.args, { kind: 'read', listed: 3, leftOut: 3 });
    assert.equal(model.mailing?.targetList?.skipped.suppressed, 3);
    await send('december.mailing.yaml');
    const december = server.received.slice(before).filter((m) => !m.to.includes('editor@northwind.example'));
    const to = december.flatMap((m) => m.to);
    assert.equal(to.length, 34);
    for (const address of REJECTED) assert.ok(!to.includes(address), `${address} was mailed again`);
    const second = await getStatistics(path.join(dir, 'december.mailing.yaml'), stateRoot);
    assert.deepEqual([second.total, second.sent, second.failed, second.suppressed], [34, 34, 0, 3]);
  });
});
