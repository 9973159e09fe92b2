import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { mailingId, mailingStateDir } from '../../src/core/state/paths';
import { canonicalPath, findStateRoot, forgetStateRoots, stateRootOfFolder, stateRootsAbove } from '../../src/core/state/stateRoot';
import { TempDir } from '../fixtures/core/mailingFixture';

describe('state root: found upward from the mailing file, whatever the working directory', () => {
  let dir: TempDir;
  let root: string;
  beforeEach(async () => {
    dir = await TempDir.create();
    root = canonicalPath(dir.path);
    forgetStateRoots();
  });
  afterEach(() => dir.remove());

  it('is the nearest folder above the file that holds .mailings', async () => {
    await dir.write({ 'a/b/c/x.mailing.yaml': 'version: 1\n' });
    await fs.mkdir(dir.file('a/.mailings'));
    assert.equal(findStateRoot(dir.file('a/b/c/x.mailing.yaml')), path.join(root, 'a/.mailings'));
    await fs.mkdir(dir.file('a/b/.mailings'));
    forgetStateRoots();
    assert.equal(findStateRoot(dir.file('a/b/c/x.mailing.yaml')), path.join(root, 'a/b/.mailings'));
  });

  it('stops at a repository root (.git, .hg, .svn) and puts the state there', async () => {
    for (const marker of ['.git', '.hg', '.svn']) {
      forgetStateRoots();
      await dir.write({ [`${marker}-repo/news/x.mailing.yaml`]: 'version: 1\n' });
      await fs.mkdir(dir.file(`${marker}-repo/${marker}`));
      assert.equal(findStateRoot(dir.file(`${marker}-repo/news/x.mailing.yaml`)), path.join(root, `${marker}-repo/.mailings`), marker);
    }
    // A .git file (a worktree or submodule) marks a root too; a .mailings above the repository is never used.
    await fs.mkdir(dir.file('.mailings'));
    await dir.write({ 'wt/.git': 'gitdir: elsewhere\n', 'wt/sub/y.mailing.yaml': 'version: 1\n' });
    forgetStateRoots();
    assert.equal(findStateRoot(dir.file('wt/sub/y.mailing.yaml')), path.join(root, 'wt/.mailings'));
  });

  it('is beside the file when nothing above marks a workspace', async () => {
    await dir.write({ 'loose/x.mailing.yaml': 'version: 1\n' });
    // The temp folder has no .mailings or repository above it (the test would be meaningless otherwise).
    assert.deepEqual(stateRootsAbove(dir.file('loose/x.mailing.yaml')), []);
    assert.equal(findStateRoot(dir.file('loose/x.mailing.yaml')), path.join(root, 'loose/.mailings'));
  });

  it('gives one state to a file reached through a symbolic link and through its real path', async () => {
    await dir.write({ 'real/x.mailing.yaml': 'version: 1\n' });
    await fs.mkdir(dir.file('real/.mailings'));
    await fs.symlink(dir.file('real'), dir.file('link'));
    const viaLink = dir.file('link/x.mailing.yaml');
    const real = dir.file('real/x.mailing.yaml');
    assert.equal(findStateRoot(viaLink), findStateRoot(real));
    assert.equal(mailingStateDir(findStateRoot(viaLink), viaLink), mailingStateDir(findStateRoot(real), real));
  });

  it('the id of a mailing depends on its place in the workspace only, not on the working directory', async () => {
    await dir.write({ 'w/.git/HEAD': '', 'w/news/x.mailing.yaml': 'version: 1\n' });
    const file = dir.file('w/news/x.mailing.yaml');
    const stateRoot = findStateRoot(file);
    const before = process.cwd();
    try {
      process.chdir(dir.file('w/news'));
      assert.equal(findStateRoot('x.mailing.yaml'), stateRoot);
      assert.equal(mailingId(findStateRoot('x.mailing.yaml'), 'x.mailing.yaml'), mailingId(stateRoot, file));
    } finally {
      process.chdir(before);
    }
    assert.match(mailingId(stateRoot, file), /^news-x-[0-9a-f]{8}$/);
  });

  it('a folder without a file (mailings run) follows the same rule', async () => {
    await dir.write({ 'r/.git/HEAD': '' });
    await fs.mkdir(dir.file('r/deep/er'), { recursive: true });
    assert.equal(stateRootOfFolder(dir.file('r/deep/er')), path.join(root, 'r/.mailings'));
  });

  it('lists every existing state folder above a file, nearest first', async () => {
    await fs.mkdir(dir.file('a/b/.mailings'), { recursive: true });
    await fs.mkdir(dir.file('a/.mailings'));
    await dir.write({ 'a/b/c/x.mailing.yaml': 'version: 1\n' });
    assert.deepEqual(stateRootsAbove(dir.file('a/b/c/x.mailing.yaml')), [path.join(root, 'a/b/.mailings'), path.join(root, 'a/.mailings')]);
  });
});
