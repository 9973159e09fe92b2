// One sender per mailing: two processes started on one mailing, exactly one sends; Stop from another
// process reaches the sender through its stop request.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { getStatistics, MailingActionError, scheduleMailing, startMailing, stopMailing } from '../../src/core/actions';
import type { SendContext } from '../../src/core/types';
import { spawnSendChild } from '../support/child';
import { makeMailing, modelFor, recipients, tempDir } from '../support/resolvedMailings';
import { startSmtpServer, type TestSmtpServer } from '../support/smtpServer';

describe('two processes on one mailing', function () {
  this.timeout(120_000);
  let dir: string;
  let server: TestSmtpServer | undefined;

  beforeEach(async () => {
    dir = await tempDir('mailings-two-');
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('exactly one of two processes started together sends; the other refuses', async () => {
    server = await startSmtpServer();
    const mailing = await makeMailing({ dir, recipients: recipients(400), sending: { transport: 'smtp', connections: 3, rate: { count: 400, per: 'second' } } });
    const smtp = { host: '127.0.0.1', port: server.port, security: 'none' as const };
    const ctx: SendContext = { stateRoot: path.join(dir, '.mailings'), smtp };
    await scheduleMailing(modelFor(mailing), ctx, new Date(Date.now() + 3_600_000));
    const children = [0, 1].map(() => spawnSendChild({ action: 'start', file: mailing.file, stateRoot: ctx.stateRoot, smtp }));
    const results = await Promise.all(children.map((c) => c.exited));
    const codes = results.map((r) => r.code).sort();
    assert.deepEqual(codes, [0, 4], results.map((r) => r.stdout + r.stderr).join('\n'));
    const refusal = JSON.parse(results.find((r) => r.code === 4)?.stdout ?? '{}') as { refused?: string; message?: string };
    assert.ok(refusal.refused === 'leased' || refusal.refused === 'wrong-state', refusal.message);
    if (refusal.refused === 'leased') assert.match(refusal.message ?? '', /test child \d+ \(pid \d+ on /);
    const counts = server.counts();
    assert.equal(counts.size, 400);
    assert.ok([...counts.values()].every((n) => n === 1), 'nobody mailed twice');
    assert.equal((await getStatistics(mailing.file, ctx.stateRoot)).sent, 400);
  });

  it('refuses Start in this process while another process sends, naming it; Stop reaches it', async () => {
    server = await startSmtpServer();
    const mailing = await makeMailing({ dir, recipients: recipients(1000), sending: { transport: 'smtp', connections: 2, rate: { count: 200, per: 'second' } } });
    const modelFile = path.join(dir, 'model.json');
    await fs.writeFile(modelFile, JSON.stringify(modelFor(mailing)));
    const smtp = { host: '127.0.0.1', port: server.port, security: 'none' as const };
    const ctx: SendContext = { stateRoot: path.join(dir, '.mailings'), smtp, owner: 'the test' };
    const child = spawnSendChild({ action: 'send', modelFile, file: mailing.file, stateRoot: ctx.stateRoot, smtp });
    await server.waitFor(30);
    const live = await getStatistics(mailing.file, ctx.stateRoot);
    assert.equal(live.status, 'sending');
    assert.equal(live.sender?.pid, child.process.pid);
    await assert.rejects(startMailing(mailing.file, ctx), (error: unknown) => {
      assert.ok(error instanceof MailingActionError);
      assert.equal(error.code, 'leased');
      assert.equal(error.status, 'sending');
      assert.equal(error.holder?.pid, child.process.pid);
      return true;
    });
    const stopped = await stopMailing(mailing.file, ctx);
    assert.equal(stopped.status, 'stopped');
    assert.equal(stopped.stoppedReason, 'stopped by the test');
    const result = await child.exited;
    assert.equal(result.code, 3, result.stdout + result.stderr);
    assert.equal(stopped.sent, server.received.length);
    assert.ok(stopped.sent < 1000);
    const done = await startMailing(mailing.file, ctx);
    assert.equal(done.status, 'completed');
    const counts = server.counts();
    assert.equal(counts.size, 1000);
    assert.ok([...counts.values()].every((n) => n === 1), 'a graceful stop mails nobody twice');
  });
});
