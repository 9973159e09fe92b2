// `mailings suppression list|add|remove|import|clear-bounce` as a user runs it (dist/cli.js in a child process),
// on the suppression list of a temp workspace's .mailings folder.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { STATE_DIR_NAME } from '../../src/core/state/paths';
import { SoftBounces } from '../../src/core/suppression/softBounces';
import { SUPPRESSION_FILE, type SuppressionEntry, SuppressionList } from '../../src/core/suppression/suppressionList';
import { runCli } from '../support/cli';
import { tempDir } from '../support/resolvedMailings';

describe('mailings suppression (CLI)', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir('mailings-suppression-cli-');
    await fs.mkdir(path.join(dir, STATE_DIR_NAME));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });
  const cli = (...args: string[]) => runCli(['suppression', ...args], { cwd: dir });
  const listed = async () => (JSON.parse((await cli('list', '--json')).stdout) as SuppressionEntry[]).map((e) => `${e.address} ${e.reason}${e.detail ? ` ${e.detail}` : ''}`);

  it('adds (nothing when one address is invalid), lists, imports a CSV, removes', async () => {
    const bad = await cli('add', 'ann@example.test', 'not-an-address');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /address-invalid: 'not-an-address' is not a valid address; nothing was added/);
    assert.deepEqual(await listed(), []);

    const added = await cli('add', 'ann@example.test', 'Bob@Example.test', '--detail', 'asked by phone');
    assert.equal(added.code, 0, added.stderr);
    assert.equal(added.stdout, '2 added, 0 suppressed already\n');
    assert.equal((await cli('add', 'bob@example.test', '--reason', 'complaint')).stdout, '0 added, 1 suppressed already\n');
    assert.equal((await cli('add', 'cy@example.test', '--reason', 'bored')).code, 2);

    await fs.writeFile(path.join(dir, 'crm.csv'), 'name;email\nDe;dee@example.test\nAnn;ANN@example.test\nX;nope\n');
    const imported = await cli('import', 'crm.csv');
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /crm\.csv: 3 rows, 1 added, 1 suppressed already, 0 listed twice, 1 invalid\n  row 4: "nope" is not a valid address/);
    assert.deepEqual(await listed(), ['ann@example.test manual asked by phone', 'Bob@Example.test manual asked by phone', 'dee@example.test unsubscribe imported from crm.csv']);

    const noEmail = path.join(dir, 'bad.csv');
    await fs.writeFile(noEmail, 'name\nAnn\n');
    const refused = await cli('import', 'bad.csv');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /bad\.csv(:1)?: error csv-email-column-missing/);

    const removed = await cli('remove', 'BOB@example.test', 'zed@example.test', '--json');
    assert.equal(removed.code, 0, removed.stderr);
    assert.deepEqual((JSON.parse(removed.stdout) as { removed: SuppressionEntry[] }).removed.map((e) => e.address), ['Bob@Example.test']);
    assert.deepEqual(await listed(), ['ann@example.test manual asked by phone', 'dee@example.test unsubscribe imported from crm.csv']);
    assert.match(await fs.readFile(path.join(dir, STATE_DIR_NAME, SUPPRESSION_FILE), 'utf8'), /^address,reason,date,mailing,detail\r?\n/);
  });

  it('clear-bounce: soft bounces forgotten and a bounce suppression lifted; a complaint stays', async () => {
    const stateRoot = path.join(dir, STATE_DIR_NAME);
    const soft = new SoftBounces(stateRoot, new SuppressionList(stateRoot), { limit: 2 });
    await soft.record({ address: 'full@example.test', mailing: 'm1', detail: '552 5.2.2 mailbox full' });
    await soft.record({ address: 'full@example.test', mailing: 'm2', detail: '552 5.2.2 mailbox full' });
    assert.equal((await cli('add', 'gone@example.test', '--reason', 'hard-bounce')).code, 0);
    assert.equal((await cli('add', 'angry@example.test', '--reason', 'complaint')).code, 0);
    assert.deepEqual(await listed(), ['full@example.test soft-bounce 2 soft bounces; last: 552 5.2.2 mailbox full', 'gone@example.test hard-bounce', 'angry@example.test complaint']);

    const cleared = await cli('clear-bounce', 'FULL@example.test', 'gone@example.test', 'angry@example.test');
    assert.equal(cleared.code, 0, cleared.stderr);
    assert.equal(
      cleared.stdout,
      [
        'FULL@example.test: 2 soft bounces forgotten, no longer suppressed (was soft-bounce)',
        'gone@example.test: 0 soft bounces forgotten, no longer suppressed (was hard-bounce)',
        'angry@example.test: 0 soft bounces forgotten, was not suppressed for bouncing',
        '',
      ].join('\n'),
    );
    assert.deepEqual(await listed(), ['angry@example.test complaint']);
    assert.equal(await soft.count('full@example.test'), 0);
    assert.equal((await cli('clear-bounce')).code, 2);
  });
});
