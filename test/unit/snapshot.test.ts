import * as assert from 'node:assert/strict';
import { snapshotJson, type Snapshot } from '../../src/core/state/snapshot';
import type { Recipient } from '../../src/core/types';

function snapshotWith(count: number): Snapshot {
  const recipients: Recipient[] = Array.from({ length: count }, (_, i) => {
    const email = `r${i}@example.test`;
    return { email, fields: { email, firstName: i % 3 ? `Zoë "${i}" \\ \u2028` : 'recipients-', city: '\u0000' } };
  });
  return {
    version: 1,
    file: '/work/news.mailing.yaml',
    confirmedAt: '2026-11-26T10:00:00.000Z',
    hash: 'abc',
    messageIdToken: 'tok',
    mailing: {
      file: '/work/news.mailing.yaml',
      name: 'News "recipients"',
      from: { email: 'news@acme.example' },
      subject: 'Hi',
      attachments: [],
      targetList: { recipients, fields: ['email', 'firstName', 'city'], skipped: { invalid: 1, duplicate: 2, excluded: 3 }, sources: [], excludeSources: [] },
      unsubscribe: {},
      test: { recipients: [] },
      timezone: 'Europe/Amsterdam',
      sending: { transport: 'outbox', connections: 1, attempts: 3, retryDelay: 1000, maxRetryDelay: 10000, maxConsecutiveErrors: 10 },
    } as unknown as Snapshot['mailing'],
  };
}

describe('snapshot.json written in chunks', () => {
  for (const count of [0, 1, 999, 1000, 1001, 2500]) {
    it(`is exactly JSON.stringify of the snapshot (${count} recipients)`, () => {
      const snapshot = snapshotWith(count);
      const chunks = [...snapshotJson(snapshot)];
      const whole = JSON.stringify(snapshot);
      assert.ok(chunks.join('') === whole, `the chunks differ from JSON.stringify (${chunks.join('').length} vs ${whole.length} characters)`);
      assert.ok(chunks.every((chunk) => chunk.length < 200_000), 'no chunk holds the whole list');
    });
  }
});
