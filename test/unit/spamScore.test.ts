// The spam score's parts that need no SpamAssassin: the report parsed (negative scores, wrapped
// descriptions), a missing executable, a run that hangs, and the thresholds (spam-score as warning
// or error, in English and Dutch). The real SpamAssassin scores messages in
// test/integration/spamScore.test.ts.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { spamDiagnostics } from '../../src/core/checks/inbox';
import { parseSpamReport, spamAssassinScore } from '../../src/core/inbox/spamScore';
import { en } from '../fixtures/core/mailingFixture';
import { tempDir } from '../support/resolvedMailings';

const RANGE = { start: { line: 4, column: 0 }, end: { line: 4, column: 7 } };
const nl = (d: Parameters<typeof en>[0]) => en(d, 'nl');
const THRESHOLDS = { warning: 3, error: 5 };
const judge = (result: Parameters<typeof spamDiagnostics>[0], thresholds = THRESHOLDS) => spamDiagnostics(result, thresholds, RANGE, 'ann@example.test');

const REPORT = [
  'Spam detection software, running on the system "x", has',
  '',
  'Content analysis details:   (-1.0 points, 5.0 required)',
  '',
  ' pts rule name              description',
  '---- ---------------------- --------------------------------------------------',
  '-1.0 ALL_TRUSTED            Passed through trusted hosts only via SMTP',
  ' 0.0 HTML_MESSAGE           BODY: HTML included in message',
  ' 2.5 LOTS_OF_MONEY          Huge... sums of money that go on and on and',
  '                            on over two lines',
  '',
  'more text',
].join('\n');

describe('spam score', () => {
  it('parses the score (negative too), the threshold and the rules that fired', () => {
    assert.deepEqual(parseSpamReport(REPORT), {
      kind: 'scored',
      score: -1,
      required: 5,
      rules: [
        { points: -1, name: 'ALL_TRUSTED', description: 'Passed through trusted hosts only via SMTP' },
        { points: 0, name: 'HTML_MESSAGE', description: 'BODY: HTML included in message' },
        { points: 2.5, name: 'LOTS_OF_MONEY', description: 'Huge... sums of money that go on and on and on over two lines' },
      ],
    });
    assert.equal(parseSpamReport('no report here').kind, 'failed');
  });

  it('says how to install SpamAssassin when it is not there', async () => {
    const result = await spamAssassinScore(Buffer.from('Subject: x\r\n\r\nx\r\n'), { command: '/nonexistent/spamassassin' });
    assert.deepEqual(result, { kind: 'unavailable', command: '/nonexistent/spamassassin' });
    const [info] = judge(result);
    assert.deepEqual([info.code, info.severity, info.step, info.range], ['spam-unavailable', 'info', 'inbox', RANGE]);
    assert.match(en(info), /SpamAssassin is not installed \(`\/nonexistent\/spamassassin` was not found\)\. Install it with `sudo apt-get install spamassassin`/);
    assert.match(nl(info), /SpamAssassin is niet geïnstalleerd .* Installeer het met `sudo apt-get install spamassassin`/);
  });

  it('stops a run that takes too long', async () => {
    const dir = await tempDir('mailings-spam-');
    try {
      const script = path.join(dir, 'slow-spamassassin');
      await fs.writeFile(script, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
      const result = await spamAssassinScore(Buffer.from('Subject: x\r\n\r\nx\r\n'), { command: script, timeoutMs: 300 });
      assert.deepEqual(result, { kind: 'timeout', ms: 300 });
      const [failed] = judge(result);
      assert.deepEqual([failed.code, failed.severity], ['spam-failed', 'warning']);
      assert.equal(en(failed), 'SpamAssassin did not score the message within 0 seconds: the spam score is unknown');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('judges a score against the thresholds: nothing at 3, a warning over 3, an error over 5, keys change them', () => {
    const scored = (score: number) => ({ kind: 'scored' as const, score, required: 5, rules: [{ name: 'LOTS_OF_MONEY', points: 2.5, description: 'money' }, { name: 'ALL_TRUSTED', points: -1, description: 'trusted' }] });
    assert.deepEqual(judge(scored(3)), []);
    assert.deepEqual(judge(scored(-1)), []);
    const [warning] = judge(scored(3.1));
    assert.deepEqual([warning.code, warning.severity, warning.step, warning.range], ['spam-score', 'warning', 'inbox', RANGE]);
    assert.equal(en(warning), 'SpamAssassin scores the message for ann@example.test at 3.1 points, over 3 (`checks.spam.warning`): LOTS_OF_MONEY (2.5)');
    assert.equal(nl(warning), 'SpamAssassin geeft het bericht voor ann@example.test 3,1 punten, meer dan 3 (`checks.spam.warning`): LOTS_OF_MONEY (2,5)');
    const [error] = judge(scored(5.1));
    assert.equal(error.severity, 'error');
    assert.match(en(error), /over 5 \(`checks\.spam\.error`\)/);
    assert.equal(judge(scored(2.5), { warning: 2, error: 4 })[0].severity, 'warning');
    assert.equal(judge(scored(4.5), { warning: 2, error: 4 })[0].severity, 'error');
  });
});
