// The spam score's parts that need no SpamAssassin: the report parsed (negative scores, wrapped
// descriptions), a missing executable, a run that hangs, and the thresholds. The real SpamAssassin
// scores messages in test/integration/spamScore.test.ts.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseSpamReport, spamAssassinScore, spamFinding } from '../../src/core/inbox/spamScore';
import { tempDir } from '../support/mailingFixture';

const RANGE = { start: { line: 0, column: 0 }, end: { line: 0, column: 1 } };

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
    assert.equal(result.kind, 'unavailable');
    assert.match((result as { install: string }).install, /apt-get install spamassassin/);
    assert.equal(spamFinding(result, RANGE)?.kind, 'spam-unavailable');
  });

  it('stops a run that takes too long', async () => {
    const dir = await tempDir('mailings-spam-');
    try {
      const script = path.join(dir, 'slow-spamassassin');
      await fs.writeFile(script, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
      const result = await spamAssassinScore(Buffer.from('Subject: x\r\n\r\nx\r\n'), { command: script, timeoutMs: 300 });
      assert.deepEqual(result, { kind: 'timeout', ms: 300 });
      assert.equal(spamFinding(result, RANGE)?.kind, 'spam-failed');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('judges a score against the thresholds: nothing at 3, a warning over 3, an error over 5, keys change them', () => {
    const scored = (score: number) => ({ kind: 'scored' as const, score, required: 5, rules: [] });
    assert.equal(spamFinding(scored(3), RANGE), undefined);
    assert.equal(spamFinding(scored(-1), RANGE), undefined);
    assert.deepEqual(spamFinding(scored(3.1), RANGE), { kind: 'spam-score', range: RANGE, level: 'warning', score: 3.1, threshold: 3, rules: [] });
    assert.equal((spamFinding(scored(5.1), RANGE) as { level: string }).level, 'error');
    assert.equal((spamFinding(scored(2.5), RANGE, { warning: 2, error: 4 }) as { level: string }).level, 'warning');
  });
});
