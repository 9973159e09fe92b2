// The spam score with the real SpamAssassin (local rules only): a message full of classic spam
// phrases scores over the error threshold; the example newsletter's first message scores under 3;
// `mailings validate --spam` (the built CLI) says both, and an info where SpamAssassin is missing.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { buildConfirmModel } from '../../src/core/confirmModel';
import { spamDiagnostics } from '../../src/core/checks/inbox';
import { mailingSpamScore } from '../../src/core/inbox/spamScore';
import type { ResolvedMailing } from '../../src/core/types';
import { makeMailing, tempDir } from '../support/resolvedMailings';
import { promises as fs } from 'node:fs';
import { runCli } from '../support/cli';
import { BASE_YAML, loadWith } from '../support/inboxFixture';

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
    assert.deepEqual(spamDiagnostics(result, { warning: 3, error: 5 }, RANGE, 'x@example.test'), []);
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
      const [finding] = spamDiagnostics(result!, { warning: 3, error: 5 }, RANGE, 'x@example.test');
      assert.equal(finding?.code, 'spam-score', JSON.stringify(result));
      if (finding?.code !== 'spam-score') return;
      assert.equal(finding.severity, 'error');
      assert.ok(finding.args.score > 5, String(finding.args.score));
      assert.ok(finding.args.rules.length > 2 && finding.args.rules.every((r) => /^[A-Z0-9_]+$/.test(r.name) && Number.isFinite(r.points)));
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('mailings validate --spam: the example under 3 (its score on stderr), a spammy mailing an error at `content`, in English and Dutch, --json; an info without SpamAssassin', async () => {
    const dir = await tempDir('mailings-validate-spam-');
    try {
      const example = path.join(ROOT, 'examples/newsletter/newsletter.mailing.yaml');
      const plain = await runCli(['validate', example], { cwd: dir });
      const scored = await runCli(['validate', '--spam', example], { cwd: dir });
      assert.equal(scored.code, plain.code);
      assert.equal(scored.stdout, plain.stdout, 'under the thresholds: no diagnostic added');
      const score = /Spam score: (-?[\d.]+) points \(SpamAssassin; a warning over 3, an error over 5\)/.exec(scored.stderr);
      assert.ok(score && Number(score[1]) < 3, scored.stderr);

      const shout = 'FREE MONEY!!! Click here to claim your CASH PRIZE now. 100% FREE, no risk, act now! Viagra, cheap meds, lose weight fast, make $$$ from home. WINNER of $1,000,000 US DOLLARS, limited time offer, order now, no credit check.';
      const yaml = BASE_YAML.replace('"Hello {{firstName}}"', '"FREE!!! CASH PRIZE WINNER - ACT NOW $$$ 100% FREE"') + '\nchecks:\n  spam: { warning: 2, error: 4 }\n';
      const html = `<html><body bgcolor="#ff0000"><center><font color="#ffff00" size="7"><b>${shout.toUpperCase()}</b></font></center><p><a href="https://acme.example/claim">CLICK HERE</a></p><p><font size="1" color="#ffffff">${shout} ${shout}</font></p></body></html>`;
      await loadWith(dir, { 'news.html': html, 'news.mailing.yaml': yaml });
      const spammy = await runCli(['validate', '--spam', 'news.mailing.yaml'], { cwd: dir });
      assert.equal(spammy.code, 1, spammy.stdout + spammy.stderr);
      const line = spammy.stdout.split('\n').find((l) => l.includes('spam-score'));
      assert.match(line ?? spammy.stdout, /^news\.mailing\.yaml:5:1: error spam-score: SpamAssassin scores the message for ann@example\.test at [\d.]+ points, over 4 \(`checks\.spam\.error`\): [A-Z0-9_]+ \([\d.]+\)/);
      const json = await runCli(['validate', '--spam', '--json', '--lang', 'nl', 'news.mailing.yaml'], { cwd: dir });
      const entry = (JSON.parse(json.stdout) as { code: string; step: string; severity: string; line: number; message: string; args: { score: number; rules: unknown[] } }[]).find((e) => e.code === 'spam-score');
      assert.ok(entry, json.stdout);
      assert.deepEqual([entry.step, entry.severity, entry.line], ['inbox', 'error', 5]);
      assert.ok(entry.args.score > 4 && entry.args.rules.length > 0);
      assert.match(entry.message, /^SpamAssassin geeft het bericht voor ann@example\.test [\d,]+ punten, meer dan 4 \(`checks\.spam\.error`\)/);
      // Without --spam nothing is scored.
      assert.doesNotMatch((await runCli(['validate', 'news.mailing.yaml'], { cwd: dir })).stdout, /spam-/);

      // A PATH with node and no SpamAssassin: an info that says how to install it, the exit code unchanged.
      const bin = path.join(dir, 'bin');
      await fs.mkdir(bin);
      await fs.symlink(process.execPath, path.join(bin, 'node'));
      const missing = await runCli(['validate', '--spam', example], { cwd: dir, env: { PATH: bin } });
      assert.equal(missing.code, plain.code, missing.stderr);
      assert.match(missing.stdout, /newsletter\.mailing\.yaml:10:1: info spam-unavailable: The spam score is unknown: SpamAssassin is not installed \(`spamassassin` was not found\)\. Install it with `sudo apt-get install spamassassin`/);
      assert.match(missing.stderr, /Spam score: unknown: SpamAssassin is not installed/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
