import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { acquireLease } from '../../src/core/state/lease';
import { ExclusiveTimeoutError } from '../../src/core/state/exclusive';
import { importSuppressions, SuppressionImportError } from '../../src/core/suppression/importCsv';
import { SOFT_BOUNCE_FILE, SoftBounces } from '../../src/core/suppression/softBounces';
import { detailField, SUPPRESSION_FILE, SUPPRESSION_LOCK_DIR, SuppressionError, SuppressionList } from '../../src/core/suppression/suppressionList';

const NOW = new Date('2026-12-03T18:04:12.345Z');
const clock = () => NOW;

describe('suppression list', () => {
  let root: string;
  let list: SuppressionList;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'mailings-suppression-'));
    list = new SuppressionList(root, { now: clock });
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });
  const file = () => path.join(root, SUPPRESSION_FILE);

  it('writes a CSV a person can read, and reads it back by lower-cased address', async () => {
    const { added } = await list.add([
      { address: 'Piet@Klant.example', reason: 'hard-bounce', mailing: 'november-newsletter-3f2a9c1d', detail: '550 5.1.1 <piet@klant.example>: Recipient address rejected,\r\n  User unknown' },
      { address: 'klaas.dekker@yahoo.com', reason: 'complaint', mailing: 'november-newsletter-3f2a9c1d', detail: 'Feedback-Type: abuse' },
    ]);
    assert.equal(added.length, 2);
    assert.equal(
      await fs.readFile(file(), 'utf8'),
      'address,reason,date,mailing,detail\n' +
        'Piet@Klant.example,hard-bounce,2026-12-03T18:04:12Z,november-newsletter-3f2a9c1d,"550 5.1.1 <piet@klant.example>: Recipient address rejected, User unknown"\n' +
        'klaas.dekker@yahoo.com,complaint,2026-12-03T18:04:12Z,november-newsletter-3f2a9c1d,Feedback-Type: abuse\n',
    );
    const set = await list.read();
    assert.equal(set.size, 2);
    assert.ok(set.has('piet@klant.example') && set.has('PIET@KLANT.EXAMPLE'));
    assert.equal(set.get('piet@klant.example')?.reason, 'hard-bounce');
    assert.equal(set.has('someone@else.example'), false);
    assert.deepEqual((await list.list()).map((e) => e.address), ['Piet@Klant.example', 'klaas.dekker@yahoo.com']);
  });

  it('keeps the first reason of an address added again, and adds a batch only once', async () => {
    await list.add([{ address: 'a@b.example', reason: 'unsubscribe' }]);
    const { added, already } = await list.add([
      { address: 'A@B.example', reason: 'hard-bounce' },
      { address: 'c@d.example', reason: 'manual' },
      { address: 'C@D.example', reason: 'manual' },
    ]);
    assert.deepEqual(added.map((e) => e.address), ['c@d.example']);
    assert.deepEqual(already.map((e) => e.reason), ['unsubscribe']);
    assert.equal((await list.read()).size, 2);
  });

  it('refuses an invalid address or reason and adds nothing', async () => {
    await assert.rejects(list.add([{ address: 'ok@b.example', reason: 'manual' }, { address: 'not an address', reason: 'manual' }]), (error: unknown) => error instanceof SuppressionError && error.code === 'address-invalid');
    await assert.rejects(list.add([{ address: 'ok@b.example', reason: 'bounced' as never }]), (error: unknown) => error instanceof SuppressionError && error.code === 'reason-invalid');
    assert.equal((await list.read()).size, 0);
  });

  it('cuts the detail short, on one line, never a spreadsheet formula', () => {
    assert.equal(detailField(`a\nb\tc${'x'.repeat(300)}`).length, 200);
    assert.equal(detailField('=HYPERLINK("http://evil.example")'), `'=HYPERLINK("http://evil.example")`);
    assert.equal(detailField('-5 points'), "'-5 points");
  });

  it('removes every row of an address, keeping the other lines as they were written', async () => {
    await list.add(['a@b.example', 'c@d.example', 'e@f.example'].map((address) => ({ address, reason: 'manual' as const })));
    const before = await fs.readFile(file(), 'utf8');
    const removed = await list.remove(['C@D.EXAMPLE', 'nobody@x.example']);
    assert.deepEqual(removed.map((e) => e.address), ['c@d.example']);
    assert.equal(await fs.readFile(file(), 'utf8'), before.split('\n').filter((line) => !line.startsWith('c@d')).join('\n'));
    assert.deepEqual((await list.list()).map((e) => e.address), ['a@b.example', 'e@f.example']);
    assert.deepEqual(await list.remove(['nobody@x.example']), []);
    assert.deepEqual(await fs.readdir(root).then((names) => names.filter((n) => n.endsWith('.tmp'))), [], 'no temp file is left');
  });

  it('reads again only when the file changed, also when another process wrote it', async () => {
    await list.add([{ address: 'a@b.example', reason: 'manual' }]);
    const first = await list.read();
    assert.equal(await list.read(), first, 'unchanged: the same lookup');
    await new SuppressionList(root).add([{ address: 'c@d.example', reason: 'manual' }]);
    const second = await list.read();
    assert.notEqual(second, first);
    assert.ok(second.has('c@d.example'));
  });

  it('reads a file a person edited: semicolons, other column order, BOM, CRLF, an unknown reason', async () => {
    await fs.writeFile(file(), '\uFEFFReason;Address;Date;Detail;Mailing\r\nunsubscribe;jan@example.nl;2026-11-01;called us;\r\nblocked;x@y.example;;;\r\n;;;;\r\n');
    const set = await list.read();
    assert.deepEqual(set.entries().map((e) => [e.address, e.reason, e.date, e.detail]), [
      ['jan@example.nl', 'unsubscribe', '2026-11-01', 'called us'],
      ['x@y.example', 'manual', '', ''],
    ]);
    // An append follows the file's own layout.
    await list.add([{ address: 'new@z.example', reason: 'complaint', detail: 'a;b' }]);
    const lines = (await fs.readFile(file(), 'utf8')).split('\n');
    assert.equal(lines[4], 'complaint;new@z.example;2026-12-03T18:04:12Z;"a;b";');
    assert.equal((await list.read()).get('new@z.example')?.detail, 'a;b');
  });

  it('skips lines torn by a crash, and starts a new line after a torn last one', async () => {
    await list.add([{ address: 'a@b.example', reason: 'manual' }]);
    await fs.appendFile(file(), 'c@d.example,manual,2026-12-03T18:04:12Z,,"half a quote\nbroken@x.example,manual,2026-12-0');
    let set = await list.read();
    // The unclosed quote is skipped; the unfinished last line is not read while it has no end.
    assert.deepEqual(set.entries().map((e) => e.address), ['a@b.example']);
    assert.deepEqual(set.ignoredLines, [3]);
    await list.add([{ address: 'e@f.example', reason: 'manual' }]);
    set = await list.read();
    // The torn row was ended before the new one: both are rows of their own, nothing glued together.
    assert.deepEqual(set.entries().map((e) => [e.address, e.date]), [
      ['a@b.example', '2026-12-03T18:04:12Z'],
      ['broken@x.example', '2026-12-0'],
      ['e@f.example', '2026-12-03T18:04:12Z'],
    ]);
    assert.deepEqual(set.ignoredLines, [3]);
  });

  it('waits for a rewrite held by another process, and says who holds it when it waits too long', async () => {
    await list.add([{ address: 'a@b.example', reason: 'manual' }]);
    const lease = await acquireLease(path.join(root, SUPPRESSION_LOCK_DIR), 'another window');
    const slow = new SuppressionList(root, { lockTimeoutMs: 150 });
    await assert.rejects(slow.remove(['a@b.example']), (error: unknown) => error instanceof ExclusiveTimeoutError && /another window/.test(error.message));
    // A patient waiter (a loaded machine may hold the release timer up well past 150 ms).
    const waiting = new SuppressionList(root, { lockTimeoutMs: 60_000 }).remove(['a@b.example']);
    setTimeout(() => void lease.release(), 50);
    assert.equal((await waiting).length, 1);
  });
});

describe('suppression import', () => {
  let root: string;
  let list: SuppressionList;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'mailings-import-'));
    list = new SuppressionList(root, { now: clock });
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('imports the email column of a CSV in any order and separator, reporting what it skipped', async () => {
    await list.add([{ address: 'already@x.example', reason: 'hard-bounce' }]);
    const csv = path.join(root, 'unsubscribes-crm.csv');
    await fs.writeFile(csv, 'name;E-mail;when\nJan;jan@example.nl;1 nov\nPiet;not-an-address;2 nov\n;JAN@example.nl;3 nov\nKees;already@x.example;4 nov\nAnna;"anna@example.nl";5 nov\n');
    const result = await importSuppressions(list, csv);
    assert.deepEqual(result, { file: csv, rows: 5, added: 2, already: 1, duplicates: 1, invalid: [{ line: 3, value: 'not-an-address' }] });
    const set = await list.read();
    assert.deepEqual(set.entries().map((e) => [e.address, e.reason, e.detail]), [
      ['already@x.example', 'hard-bounce', ''],
      ['jan@example.nl', 'unsubscribe', 'imported from unsubscribes-crm.csv'],
      ['anna@example.nl', 'unsubscribe', 'imported from unsubscribes-crm.csv'],
    ]);
    const again = await importSuppressions(list, csv);
    assert.equal(again.added, 0, 'importing twice adds nothing');
  });

  it('imports nothing from a CSV without an email column or with a broken quote, and says where', async () => {
    const noColumn = path.join(root, 'a.csv');
    await fs.writeFile(noColumn, 'name,mail\nJan,jan@example.nl\n');
    await assert.rejects(importSuppressions(list, noColumn), (error: unknown) => error instanceof SuppressionImportError && error.code === 'csv-email-column-missing' && error.line === 1 && /columns: name, mail/.test(error.message));
    const broken = path.join(root, 'b.csv');
    await fs.writeFile(broken, 'email,name\na@b.example,ok\nc@d.example,"never closed\n');
    await assert.rejects(importSuppressions(list, broken), (error: unknown) => error instanceof SuppressionImportError && error.code === 'csv-invalid' && error.line === 3);
    await assert.rejects(importSuppressions(list, path.join(root, 'missing.csv')), (error: unknown) => error instanceof SuppressionImportError && error.code === 'file-unreadable');
    assert.equal((await list.read()).size, 0);
  });
});

describe('soft bounces', () => {
  let root: string;
  let list: SuppressionList;
  let soft: SoftBounces;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'mailings-soft-'));
    list = new SuppressionList(root, { now: clock });
    soft = new SoftBounces(root, list, { now: clock });
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('counts once per mailing and suppresses at the limit (default 5)', async () => {
    assert.equal(soft.limit, 5);
    for (let k = 1; k <= 4; k++) {
      const result = await soft.record({ address: 'Full@Mailbox.example', mailing: `mailing-${k}`, detail: '552 5.2.2 mailbox full' });
      assert.deepEqual(result, { count: k, recorded: true });
      // The same mailing's soft bounce reported again (at send time and by DSN, or after a crash).
      assert.deepEqual(await soft.record({ address: 'full@mailbox.example', mailing: `mailing-${k}` }), { count: k, recorded: false });
    }
    assert.equal((await list.read()).has('full@mailbox.example'), false);
    const fifth = await soft.record({ address: 'full@mailbox.example', mailing: 'mailing-5', detail: '452 4.2.2 over quota' });
    assert.equal(fifth.count, 5);
    assert.equal(fifth.suppressed?.reason, 'soft-bounce');
    assert.equal(fifth.suppressed?.detail, '5 soft bounces; last: 452 4.2.2 over quota');
    assert.equal((await list.read()).get('FULL@mailbox.example')?.mailing, 'mailing-5');
    assert.equal((await soft.record({ address: 'full@mailbox.example', mailing: 'mailing-6' })).suppressed, undefined, 'suppressed once');
    assert.deepEqual(await soft.counts(), new Map([['full@mailbox.example', 6]]));
    const lines = (await fs.readFile(path.join(root, SOFT_BOUNCE_FILE), 'utf8')).split('\n');
    assert.equal(lines[0], 'address,date,mailing,detail');
    assert.equal(lines[1], 'Full@Mailbox.example,2026-12-03T18:04:12Z,mailing-1,552 5.2.2 mailbox full');
  });

  it('takes the limit as a parameter', async () => {
    const strict = new SoftBounces(root, list, { limit: 1 });
    assert.equal((await strict.record({ address: 'a@b.example', mailing: 'm' })).suppressed?.reason, 'soft-bounce');
    assert.throws(() => new SoftBounces(root, list, { limit: 0 }), RangeError);
  });

  it('clears the bounce flag: soft bounces and bounce suppressions go, a complaint stays', async () => {
    await soft.record({ address: 'a@b.example', mailing: 'm1' });
    await soft.record({ address: 'a@b.example', mailing: 'm2' });
    await soft.record({ address: 'other@b.example', mailing: 'm1' });
    await list.add([
      { address: 'a@b.example', reason: 'hard-bounce' },
      { address: 'angry@b.example', reason: 'complaint' },
    ]);
    const cleared = await soft.clearBounceFlag('A@B.example');
    assert.equal(cleared.softBouncesCleared, 2);
    assert.deepEqual(cleared.suppressionRemoved.map((e) => e.reason), ['hard-bounce']);
    assert.equal(await soft.count('a@b.example'), 0);
    assert.equal(await soft.count('other@b.example'), 1);
    assert.equal((await list.read()).has('a@b.example'), false);
    assert.deepEqual((await soft.clearBounceFlag('angry@b.example')).suppressionRemoved, []);
    assert.ok((await list.read()).has('angry@b.example'));
  });
});

describe('suppression files written by two processes at once', function () {
  this.timeout(60_000);
  let root: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'mailings-two-writers-'));
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  interface Child {
    ready: Promise<void>;
    done: Promise<void>;
    go(): void;
  }

  function child(args: object): Child {
    const script = path.join(__dirname, '..', 'support', 'suppressionChild.js');
    const proc = spawn(process.execPath, [script, JSON.stringify(args)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let onReady: () => void;
    const ready = new Promise<void>((resolve) => (onReady = resolve));
    proc.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('ready\n')) onReady();
    });
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const done = new Promise<void>((resolve, reject) =>
      proc.on('close', (code) => (code === 0 && stdout.includes('done ') ? resolve() : reject(new Error(`child exited ${code}: ${stdout}${stderr}`)))),
    );
    return { ready, done, go: () => proc.stdin.write('go\n') };
  }

  async function together(...children: Child[]): Promise<void> {
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.go();
    await Promise.all(children.map((c) => c.done));
  }

  const addresses = (prefix: string, n: number) => Array.from({ length: n }, (_, k) => `${prefix}${k}@example.nl`);

  it('two appenders: every address of both is there, no line torn', async () => {
    await together(child({ stateRoot: root, action: 'add', addresses: addresses('a', 250) }), child({ stateRoot: root, action: 'add', addresses: addresses('b', 250) }));
    const set = await new SuppressionList(root).read();
    assert.equal(set.size, 500);
    for (const address of [...addresses('a', 250), ...addresses('b', 250)]) assert.ok(set.has(address), address);
    assert.deepEqual(set.ignoredLines, []);
  });

  it('an appender beside a process removing other addresses one by one: nothing added is lost, everything removed is gone', async () => {
    const old = addresses('old', 150);
    await new SuppressionList(root).add(old.map((address) => ({ address, reason: 'manual' as const })));
    await together(child({ stateRoot: root, action: 'add', addresses: addresses('new', 300) }), child({ stateRoot: root, action: 'remove', addresses: old }));
    const set = await new SuppressionList(root).read();
    assert.deepEqual(
      set.entries().map((e) => e.address).sort(),
      addresses('new', 300).sort(),
      'exactly the added addresses remain',
    );
    assert.deepEqual(set.ignoredLines, []);
    const text = await fs.readFile(path.join(root, SUPPRESSION_FILE), 'utf8');
    assert.equal(text.split('\n')[0], 'address,reason,date,mailing,detail');
  });

  it('two processes counting soft bounces of the same addresses in different mailings: counted and suppressed once each', async () => {
    const list = addresses('full', 60);
    await together(child({ stateRoot: root, action: 'soft-bounce', addresses: list, mailing: 'm1' }), child({ stateRoot: root, action: 'soft-bounce', addresses: list, mailing: 'm2' }));
    const suppression = new SuppressionList(root);
    const soft = new SoftBounces(root, suppression, { limit: 2 });
    const counts = await soft.counts();
    for (const address of list) assert.equal(counts.get(address), 2, address);
    const set = await suppression.read();
    assert.equal(set.size, 60, 'each address suppressed (a row written twice is read once)');
    for (const address of list) assert.equal(set.get(address)?.reason, 'soft-bounce');
  });
});
