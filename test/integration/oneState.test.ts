// One mailing, one state, wherever the CLI runs: the state folder is found from the mailing file
// (as git finds .git), and a copy, a renamed or a moved file of a sent mailing is recognised before
// it mails anyone a second time. Real CLI in child processes, the outbox transport (each message
// is one .eml file, so "nobody twice" is counted on disk).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../support/resolvedMailings';

const CLI = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const EXAMPLE = path.join(__dirname, '..', '..', '..', 'examples', 'newsletter');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function mailings(args: string[], cwd: string): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, MAILINGS_SMTP_URL: '', MAILINGS_SMTP_PASSWORD: '', LANG: 'C' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every .eml file the outbox transport wrote for a mailing under a state folder (test messages, in `test/`, apart). */
async function outboxMessages(stateRoot: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(path.join(stateRoot, 'outbox'), { withFileTypes: true, recursive: true });
    return entries.filter((e) => e.isFile() && e.name.endsWith('.eml') && path.basename(e.parentPath) !== 'test').map((e) => path.join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

describe('one state per mailing, from any working directory; copies and renamed files recognised', function () {
  this.timeout(120_000);
  let dir: string;
  let repo: string;

  beforeEach(async () => {
    dir = await fs.realpath(await tempDir('mailings-one-state-'));
    repo = path.join(dir, 'repo');
    // A repository: its root holds the state, whichever folder the CLI runs in.
    await fs.mkdir(path.join(repo, '.git'), { recursive: true });
    await fs.cp(EXAMPLE, path.join(repo, 'newsletter'), { recursive: true });
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('a mailing sent from the repository root is completed when looked at from its own folder, and is not sent again there', async () => {
    const sent = [await mailings(['test', 'newsletter/newsletter.mailing.yaml'], repo), await mailings(['send', 'newsletter/newsletter.mailing.yaml', '--now'], repo)];
    for (const result of sent) assert.equal(result.code, 0, result.stderr);
    const stateRoot = path.join(repo, '.mailings');
    assert.equal((await outboxMessages(stateRoot)).length, 37);

    const inFolder = path.join(repo, 'newsletter');
    const status = await mailings(['status', 'newsletter.mailing.yaml', '--json'], inFolder);
    assert.equal(JSON.parse(status.stdout).status, 'completed', status.stdout);
    const again = await mailings(['send', 'newsletter.mailing.yaml', '--now'], inFolder);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /completed/);
    // From a folder outside the repository altogether, the same answer.
    const elsewhere = await mailings(['status', path.join(repo, 'newsletter', 'newsletter.mailing.yaml'), '--json'], dir);
    assert.equal(JSON.parse(elsewhere.stdout).status, 'completed');
    await assert.rejects(fs.stat(path.join(inFolder, '.mailings')), 'no second state folder was made');
    assert.equal((await outboxMessages(stateRoot)).length, 37, 'nobody was mailed twice');
  });

  it('a copy, a renamed file and a moved folder of a sent mailing are refused as already-sent until --again', async () => {
    const original = 'newsletter/newsletter.mailing.yaml';
    assert.equal((await mailings(['test', original], repo)).code, 0);
    assert.equal((await mailings(['send', original, '--now'], repo)).code, 0);
    const stateRoot = path.join(repo, '.mailings');

    // A copy beside it (same content, same list).
    await fs.copyFile(path.join(repo, original), path.join(repo, 'newsletter', 'copy.mailing.yaml'));
    const validate = await mailings(['validate', '--json', 'newsletter/copy.mailing.yaml'], repo);
    assert.equal(validate.code, 1);
    const entries = JSON.parse(validate.stdout) as { code: string; message: string; severity: string }[];
    const already = entries.find((e) => e.code === 'already-sent');
    assert.ok(already, validate.stdout);
    assert.equal(already.severity, 'error');
    assert.match(already.message, /all 37 recipients/);
    assert.match(already.message, /newsletter\.mailing\.yaml/);
    assert.equal((await mailings(['test', 'newsletter/copy.mailing.yaml'], repo)).code, 0, 'a test is always allowed');
    const refused = await mailings(['send', 'newsletter/copy.mailing.yaml', '--now'], repo);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /already-sent/);
    const scheduleRefused = await mailings(['schedule', 'newsletter/copy.mailing.yaml', '--at', 'tomorrow 20:00'], repo);
    assert.equal(scheduleRefused.code, 1);
    assert.match(scheduleRefused.stderr, /already-sent/);
    assert.equal((await outboxMessages(stateRoot)).length, 37);

    // Renamed, and a moved folder: the same.
    await fs.rename(path.join(repo, 'newsletter', 'copy.mailing.yaml'), path.join(repo, 'newsletter', 'renamed.mailing.yaml'));
    const renamed = await mailings(['validate', '--json', 'newsletter/renamed.mailing.yaml'], repo);
    assert.ok((JSON.parse(renamed.stdout) as { code: string }[]).some((e) => e.code === 'already-sent'));
    await fs.rm(path.join(repo, 'newsletter', 'renamed.mailing.yaml'));
    await fs.rename(path.join(repo, 'newsletter'), path.join(repo, 'letters'));
    const moved = await mailings(['validate', '--json', 'newsletter.mailing.yaml'], path.join(repo, 'letters'));
    assert.ok((JSON.parse(moved.stdout) as { code: string }[]).some((e) => e.code === 'already-sent'), moved.stdout);

    // The explicit choice sends it, and the journal says so.
    assert.equal((await mailings(['test', 'letters/newsletter.mailing.yaml'], repo)).code, 0);
    const chosen = await mailings(['send', 'letters/newsletter.mailing.yaml', '--now', '--again'], repo);
    assert.equal(chosen.code, 0, chosen.stderr);
    assert.equal((await outboxMessages(stateRoot)).length, 74);
    const journals = (await fs.readdir(path.join(stateRoot, 'mailings'))).filter((name) => name.startsWith('letters-'));
    assert.equal(journals.length, 1);
    const journal = await fs.readFile(path.join(stateRoot, 'mailings', journals[0], 'journal.jsonl'), 'utf8');
    assert.match(journal.split('\n')[0], /"e":"confirmed".*"again":true/);
  });

  it('a mailing whose recipients do not overlap a sent one with the same content is no repeat', async () => {
    const original = 'newsletter/newsletter.mailing.yaml';
    assert.equal((await mailings(['test', original], repo)).code, 0);
    assert.equal((await mailings(['send', original, '--now'], repo)).code, 0);
    const text = await fs.readFile(path.join(repo, original), 'utf8');
    // Same content, another list: only new people.
    await fs.writeFile(path.join(repo, 'newsletter', 'other-list.csv'), 'email,firstName,lastName,city\nnew.person@example.org,New,Person,Delft\n');
    await fs.writeFile(path.join(repo, 'newsletter', 'other.mailing.yaml'), text.replace(/  include:\n[\s\S]*?  exclude:/, '  include:\n    - file: other-list.csv\n  exclude:'));
    const result = await mailings(['validate', '--json', 'newsletter/other.mailing.yaml'], repo);
    assert.ok(!(JSON.parse(result.stdout) as { code: string }[]).some((e) => e.code === 'already-sent'), result.stdout);
  });
});
