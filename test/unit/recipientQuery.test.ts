// One page of the per-recipient log: the counts of every kind over the whole log, the filter and the
// search (address, SMTP reply, bounce report), the offset clamped to what matches, the page size capped.
import * as assert from 'node:assert/strict';
import { matchesQuery, queryRecipientLog, RECIPIENT_PAGE_MAX } from '../../src/core/state/recipientQuery';
import type { RecipientLogEntry } from '../../src/core/types';

const log: RecipientLogEntry[] = [
  { email: 'ann@example.org', outcome: 'sent', attempts: 1, reply: '250 ok' },
  { email: 'bob@example.org', outcome: 'failed', attempts: 1, reply: '550 5.1.1 User Unknown', bounce: 'hard' },
  { email: 'cy@example.net', outcome: 'sent', attempts: 1, complained: true, report: 'abuse feedback' },
  { email: 'dee@example.net', outcome: 'suppressed', attempts: 0, reason: 'suppressed' },
  { email: 'eve@example.com', outcome: 'sent', attempts: 2, bounce: 'failed', report: '5.2.2 mailbox full' },
];

describe('recipient table queries', () => {
  it('counts every kind over the whole log, whatever the filter', () => {
    const page = queryRecipientLog(log, { filter: 'failed', offset: 0, limit: 10 });
    assert.deepEqual(page.counts, { all: 5, sent: 3, failed: 1, bounced: 2, complained: 1, suppressed: 1, pending: 0, deferred: 0, skipped: 0, uncertain: 0 });
    assert.deepEqual([page.total, page.rows.map((r) => r.email)], [1, ['bob@example.org']]);
  });

  it('searches the address, the SMTP reply and the report, case-insensitively; with a filter, both must match', () => {
    assert.deepEqual(queryRecipientLog(log, { search: 'EXAMPLE.NET', offset: 0, limit: 10 }).rows.map((r) => r.email), ['cy@example.net', 'dee@example.net']);
    assert.deepEqual(queryRecipientLog(log, { search: 'user unknown', offset: 0, limit: 10 }).rows.map((r) => r.email), ['bob@example.org']);
    assert.deepEqual(queryRecipientLog(log, { search: 'mailbox full', offset: 0, limit: 10 }).rows.map((r) => r.email), ['eve@example.com']);
    assert.deepEqual(queryRecipientLog(log, { filter: 'bounced', search: '.com', offset: 0, limit: 10 }).rows.map((r) => r.email), ['eve@example.com']);
    assert.equal(matchesQuery(log[0], { search: '   ' }), true, 'a blank search matches all');
  });

  it('pages: the offset is clamped to the last page of what matches; the page size to its maximum', () => {
    const many: RecipientLogEntry[] = Array.from({ length: 1234 }, (_, i) => ({ email: `r${i}@example.org`, outcome: 'sent', attempts: 1 }));
    const second = queryRecipientLog(many, { offset: 100, limit: 100 });
    assert.deepEqual([second.offset, second.rows.length, second.rows[0].email, second.total], [100, 100, 'r100@example.org', 1234]);
    const past = queryRecipientLog(many, { offset: 5000, limit: 100 });
    assert.deepEqual([past.offset, past.rows.length, past.rows[0].email], [1200, 34, 'r1200@example.org']);
    assert.equal(queryRecipientLog(many, { offset: 0, limit: 1e6 }).rows.length, RECIPIENT_PAGE_MAX);
    const none = queryRecipientLog(many, { search: 'nobody', offset: 300, limit: 100 });
    assert.deepEqual([none.offset, none.total, none.rows], [0, 0, []]);
  });
});
