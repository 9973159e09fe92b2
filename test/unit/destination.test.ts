// Where a mailing's messages go (core/send/destination.ts): named from the mailing's transport and the
// send context, never with credentials; journaled with each run and read back by the statistics.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describeDestination, destinationOf, hostPort, parseDestination, SmtpNotConfiguredError } from '../../src/core/send/destination';
import { JournalFold } from '../../src/core/state/journalFold';
import { outboxDir } from '../../src/core/state/paths';
import { statisticsFromFold } from '../../src/core/state/statistics';
import { DEFAULT_SENDING } from '../support/mailingFixture';

const root = path.join(path.sep, 'work', 'site', '.mailings');
const file = path.join(path.sep, 'work', 'site', 'news', 'november.mailing.yaml');
const outbox = { file, sending: { ...DEFAULT_SENDING, transport: 'outbox' as const } };
const smtp = { file, sending: { ...DEFAULT_SENDING, transport: 'smtp' as const } };
const server = { host: 'mail.example.com', port: 587, security: 'starttls' as const, user: 'news@example.com', password: 'pw-never-shown' };

describe('destination', () => {
  it('is the outbox folder of the mailing (a subfolder for the test), whatever SMTP server the context has', () => {
    assert.deepEqual(destinationOf(outbox, { stateRoot: root }), { transport: 'outbox', dir: outboxDir(root, file) });
    assert.deepEqual(destinationOf(outbox, { stateRoot: root, smtp: server }, { outboxSubdir: 'test' }), { transport: 'outbox', dir: path.join(outboxDir(root, file), 'test') });
  });

  it('is host and port of the SMTP server for transport smtp — no user, no password — and refuses without a server', () => {
    const destination = destinationOf(smtp, { stateRoot: root, smtp: server });
    assert.deepEqual(destination, { transport: 'smtp', host: 'mail.example.com', port: 587 });
    assert.doesNotMatch(JSON.stringify(destination), /news@|pw-never/);
    assert.throws(() => destinationOf(smtp, { stateRoot: root }), SmtpNotConfiguredError);
  });

  it('is described in a few words, the folder relative to a base when below it, an IPv6 host in brackets', () => {
    assert.equal(describeDestination({ transport: 'smtp', host: '127.0.0.1', port: 2525 }), 'smtp 127.0.0.1:2525');
    assert.equal(hostPort({ transport: 'smtp', host: '::1', port: 25 }), '[::1]:25');
    const dir = outboxDir(root, file);
    assert.equal(describeDestination({ transport: 'outbox', dir }, path.dirname(root)), `the outbox ${path.join('.mailings', 'outbox', path.basename(dir))}${path.sep}`);
    assert.equal(describeDestination({ transport: 'outbox', dir }, path.join(path.sep, 'elsewhere')), `the outbox ${dir}${path.sep}`);
  });

  it('is read back only when well formed', () => {
    assert.deepEqual(parseDestination({ transport: 'smtp', host: 'h', port: 25 }), { transport: 'smtp', host: 'h', port: 25 });
    assert.deepEqual(parseDestination({ transport: 'outbox', dir: '/x', extra: 1 }), { transport: 'outbox', dir: '/x' });
    for (const junk of [undefined, null, 'smtp', { transport: 'smtp', host: 'h' }, { transport: 'ftp', dir: '/x' }, { transport: 'outbox', dir: 3 }]) {
      assert.equal(parseDestination(junk), undefined, JSON.stringify(junk));
    }
  });

  it("of the latest run is in the statistics, and a new confirmation clears it", () => {
    const fold = new JournalFold();
    const who = { owner: 'test', pid: 1, host: 'h' };
    fold.apply({ e: 'confirmed', t: 1, hash: 'x', total: 2, skipped: { invalid: 0, duplicate: 0, excluded: 0 } });
    assert.equal(statisticsFromFold(fold, undefined).destination, undefined);
    fold.apply({ e: 'started', t: 2, ...who, destination: { transport: 'outbox', dir: '/o' } });
    fold.apply({ e: 'stopped', t: 3, reason: 'r', by: 'user' });
    assert.deepEqual(statisticsFromFold(fold, undefined).destination, { transport: 'outbox', dir: '/o' });
    fold.apply({ e: 'resumed', t: 4, ...who, destination: { transport: 'smtp', host: 'h', port: 25 } });
    assert.deepEqual(statisticsFromFold(fold, undefined).destination, { transport: 'smtp', host: 'h', port: 25 });
    // A journal written before destinations were recorded: none, rather than a wrong one.
    fold.apply({ e: 'resumed', t: 5, ...who });
    assert.equal(statisticsFromFold(fold, undefined).destination, undefined);
    fold.apply({ e: 'confirmed', t: 6, hash: 'y', total: 2, skipped: { invalid: 0, duplicate: 0, excluded: 0 } });
    assert.equal(statisticsFromFold(fold, undefined).destination, undefined);
  });
});
