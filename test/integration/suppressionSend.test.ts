// The suppression list wired into sending, as a user meets it through the CLI against a real SMTP
// server: send-time 550 5.1.1 rejections suppress the addresses (with the reply as the reason), and
// the next mailing to the same list leaves out exactly those, counted as suppressed.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { getStatistics, previewResend } from '../../src/core/actions';
import { buildConfirmModel } from '../../src/core/confirmModel';
import { STATE_DIR_NAME } from '../../src/core/state/paths';
import { SuppressionList } from '../../src/core/suppression/suppressionList';
import { runCli } from '../support/cli';
import { tempDir } from '../support/resolvedMailings';
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

    // `exclude: - mailing:` reads who another mailing reached (or not) from its journal.
    const january = path.join(dir, 'january.mailing.yaml');
    const text = (await fs.readFile(path.join(dir, 'december.mailing.yaml'), 'utf8')).replace('name: December newsletter', 'name: January newsletter');
    const excluding = (entry: string) => text.replace('    - file: unsubscribed.csv\n', `    - file: unsubscribed.csv\n${entry}`);
    await fs.writeFile(january, excluding('    - mailing: december.mailing.yaml\n'));
    let model = await buildConfirmModel(january, { stateRoot, smtpConfigured: true });
    assert.deepEqual(
      model.diagnostics.filter((d) => d.code === 'exclude-mailing-no-state').map((d) => (d.args as { kind: string }).kind),
      ['never-confirmed'],
    );
    await fs.writeFile(january, excluding('    - mailing: newsletter.mailing.yaml\n      status: failed\n'));
    model = await buildConfirmModel(january, { stateRoot, smtpConfigured: true });
    assert.deepEqual(model.diagnostics.filter((d) => d.step === 'targetList' && d.severity === 'error'), []);
    assert.equal(model.mailing?.targetList?.recipients.length, 34);
    assert.ok(!model.mailing?.targetList?.recipients.some((r) => REJECTED.includes(r.email)));
    await fs.writeFile(january, excluding('    - mailing: newsletter.mailing.yaml\n'));
    model = await buildConfirmModel(january, { stateRoot, smtpConfigured: true });
    assert.equal(model.mailing?.targetList?.recipients.length, 0, 'the 34 it reached are excluded, the 3 others suppressed');
    assert.equal(model.mailing?.targetList?.skipped.suppressed, 3);

    const before = server.received.length;
    // The Confirm overview says so before anything is sent.
    const december = await buildConfirmModel(path.join(dir, 'december.mailing.yaml'), { stateRoot, smtpConfigured: true });
    const facts = december.steps?.find((step) => step.step === 'targetList')?.facts ?? [];
    assert.deepEqual(facts.find((fact) => fact.code === 'summary-suppression')?.args, { kind: 'read', listed: 3, leftOut: 3 });
    assert.equal(december.mailing?.targetList?.skipped.suppressed, 3);
    await send('december.mailing.yaml');
    const to = server.received.slice(before).flatMap((m) => m.to).filter((address) => address !== 'editor@northwind.example');
    assert.equal(to.length, 34);
    for (const address of REJECTED) assert.ok(!to.includes(address), `${address} was mailed again`);
    const second = await getStatistics(path.join(dir, 'december.mailing.yaml'), stateRoot);
    assert.deepEqual([second.total, second.sent, second.failed, second.suppressed], [34, 34, 0, 3]);
  });

  it('resend after 10 rows were added to the CSV sends exactly those 10: not a suppressed new row, not the hard bounces', async () => {
    server = await startSmtpServer({ reject: (rcpt) => REJECTED.includes(rcpt) });
    await send('newsletter.mailing.yaml');
    const stateRoot = path.join(dir, STATE_DIR_NAME);
    const added = Array.from({ length: 10 }, (_, i) => `new.reader${i}@example.net`);
    await new SuppressionList(stateRoot).add([{ address: 'blocked.reader@example.net', reason: 'unsubscribe' }]);
    const csv = path.join(dir, 'customers.csv');
    await fs.appendFile(csv, [...added.slice(0, 5), 'blocked.reader@example.net', ...added.slice(5)].map((address) => `${address},New,Reader,Leiden\n`).join(''));
    const before = server.received.length;
    const env = { MAILINGS_SMTP_URL: `smtp://127.0.0.1:${server.port}?security=none`, MAILINGS_SMTP_PASSWORD: '' };
    // What the editor shows before it asks: the same rule the resend applies.
    const file = path.join(dir, 'newsletter.mailing.yaml');
    assert.deepEqual(await previewResend(await buildConfirmModel(file, { stateRoot }), stateRoot), { added: 10, retry: 0, suppressed: 1 });
    const resent = await runCli(['resend', 'newsletter.mailing.yaml', '--json'], { cwd: dir, env });
    assert.equal(resent.code, 0, resent.stderr);
    const to = server.received.slice(before).flatMap((m) => m.to).sort();
    assert.deepEqual(to, [...added].sort());
    const stats = await getStatistics(path.join(dir, 'newsletter.mailing.yaml'), stateRoot);
    assert.deepEqual([stats.status, stats.total, stats.sent, stats.failed, stats.runs?.length], ['completed', 47, 44, 3, 2]);
    assert.equal(stats.suppressed, 1);

    // The per-recipient log accounts for every recipient of both runs; --status keeps one kind.
    const log = await runCli(['status', 'newsletter.mailing.yaml', '--csv'], { cwd: dir });
    const lines = log.stdout.trim().split('\r\n');
    assert.equal(lines[0], 'email,outcome,attempts,reply,at,messageId,bounce,complained,report,run,reason');
    const sentInRun2 = lines.filter((line) => /^[^,]+,sent,1,.*,2,$/.test(line)).map((line) => line.split(',')[0]);
    assert.deepEqual(sentInRun2.sort(), [...added].sort());
    const bounced = await runCli(['status', 'newsletter.mailing.yaml', '--csv', '--status', 'bounced'], { cwd: dir });
    assert.equal(bounced.code, 0, bounced.stderr);
    const bouncedLines = bounced.stdout.trim().split('\r\n').slice(1);
    assert.deepEqual(bouncedLines.map((line) => line.split(',')[0]).sort(), [...REJECTED].sort());
    for (const line of bouncedLines) assert.match(line, /,failed,1,.*,hard,,.*5\.1\.1.*,1,$/);
    const wrong = await runCli(['status', 'newsletter.mailing.yaml', '--csv', '--status', 'bounce'], { cwd: dir });
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--status: one of sent, failed, bounced, complained, suppressed, pending, deferred, skipped, uncertain, not bounce/);

    // Everyone is reached (or bounced hard): nothing to resend; --to sends one again only with --again.
    assert.deepEqual(await previewResend(await buildConfirmModel(file, { stateRoot }), stateRoot), { added: 0, retry: 0, suppressed: 1 });
    const nothing = await runCli(['resend', 'newsletter.mailing.yaml'], { cwd: dir, env });
    assert.equal(nothing.code, 1);
    assert.match(nothing.stderr, /nothing to resend: every row of the target list was sent or is suppressed/);
    const refused = await runCli(['resend', 'newsletter.mailing.yaml', '--to', added[0]], { cwd: dir, env });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /nothing to resend to new\.reader0@example\.net/);
    const again = await runCli(['resend', 'newsletter.mailing.yaml', '--to', `${added[0]},${REJECTED[0]}`, '--again'], { cwd: dir, env });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(server.received.slice(before + 10).flatMap((m) => m.to), [added[0]]);
  });
});
