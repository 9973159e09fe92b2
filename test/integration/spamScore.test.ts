// The spam score with the real SpamAssassin (local rules only): a message full of classic spam
// phrases scores over the error threshold; the example newsletter's first message scores under 3.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { buildConfirmModel } from '../../src/core/confirmModel';
import { mailingSpamScore, spamFinding } from '../../src/core/inbox/spamScore';
import type { ResolvedMailing } from '../../src/core/types';
import { makeMailing, tempDir } from '../support/mailingFixture';
import { promises as fs } from 'node:fs';

const RANGE = { start: { line: 0, column: 0 }, end: { line: 0, column: 1 } };
const ROOT = path.resolve(__dirname, '../../..');

describe('spam score with the real SpamAssassin', function () {
  this.timeout(120_000);

  it('the example newsletter scores under 3: no finding', async () => {
    const model = await buildConfirmModel(path.join(ROOT, 'examples/newsletter/newsletter.mailing.yaml'));
    const result = await mailingSpamScore(model.mailing as ResolvedMailing);
    assert.equal(result?.kind, 'scored', JSON.stringify(result));
    if (result?.kind !== 'scored') return;
    assert.ok(result.score < 3, `scored ${result.score}: ${result.rules.map((r) => r.name).join(', ')}`);
    assert.equal(result.required, 5);
    assert.equal(spamFinding(result, RANGE), undefined);
  });

  it('a spammy message scores over 5: an error naming the rules that fired', async () => {
    const dir = await tempDir('mailings-spammy-');
    try {
      const shout =
        'FREE MONEY!!! Click here to claim your CASH PRIZE now. 100% FREE, no risk, act now! Viagra, cheap meds, lose weight fast, make $$$ from home. ' +
        'Dear friend, you have been selected as a WINNER of $1,000,000 US DOLLARS. Limited time offer, order now, satisfaction guaranteed, no credit check, ' +
        'unsecured debt relief. This is not spam. Extra income, work from home, double your income, million dollars, risk free, guaranteed, no catch, ' +
        'order today, call now, apply online, eliminate debt, lowest price, bargain, best price, incredible deal, while supplies last, urgent response needed.';
      const mailing = await makeMailing({
        dir,
        mailing: {
          subject: 'FREE!!! CASH PRIZE WINNER - ACT NOW $$$ 100% FREE',
          from: { name: 'WINNER NOTIFICATION', email: 'winner@acme.example' },
          html: {
            source:
              `<html><body bgcolor="#ff0000"><center><font color="#ffff00" size="7"><b>${shout.toUpperCase()}</b></font></center>` +
              `<p><a href="http://acme.example/claim">CLICK HERE</a> <a href="http://192.0.2.7/claim">CLAIM</a></p><p><font size="1" color="#ffffff">${shout}</font></p></body></html>`,
          },
          text: { source: `${shout}\nCLICK HERE http://acme.example/claim\n` },
        },
      });
      const result = await mailingSpamScore(mailing);
      assert.equal(result?.kind, 'scored', JSON.stringify(result));
      const finding = spamFinding(result!, RANGE);
      assert.equal(finding?.kind, 'spam-score', JSON.stringify(result));
      if (finding?.kind !== 'spam-score') return;
      assert.equal(finding.level, 'error');
      assert.ok(finding.score > 5, String(finding.score));
      assert.ok(finding.rules.length > 2 && finding.rules.every((r) => /^[A-Z0-9_]+$/.test(r.name) && Number.isFinite(r.points)));
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
