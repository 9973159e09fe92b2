// A real IMAP server for tests: Debian's dovecot-imapd, started with a configuration of its own in a
// throwaway folder (config, sockets, state, log and the maildir all inside it), listening on
// 127.0.0.1 at a free port, one static user. See docs/testing-imap.md.
//
//   const server = await startDovecot();       // waits until it greets
//   ... server.account() is an ImapAccount for the poller ...
//   await server.stop();                       // kills its process group, removes the folder
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ImapFlow } from 'imapflow';
import type { ImapAccount } from '../../src/core/bounces/mailboxPoller';

export const HOST = '127.0.0.1';

export interface DovecotOptions {
  user?: string;
  password?: string;
  /** How long to wait for the greeting (default 20 s). */
  startTimeoutMs?: number;
}

export interface DovecotServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The temp folder holding everything of this server. */
  dir: string;
  /** The poller's view of this server (plain text on 127.0.0.1). */
  account(overrides?: Partial<ImapAccount>): ImapAccount;
  /** A connected client (the caller logs out); any user name logs in with the password (one maildir each). */
  client(user?: string): Promise<ImapFlow>;
  /** Dovecot's output and log so far. */
  logs(): Promise<string>;
  /** Stops the server and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** The dovecot binary, or undefined when dovecot-imapd is not installed (scripts/tools.sh installs it). */
export function dovecotBinary(): string | undefined {
  if (process.env.DOVECOT_BIN) return process.env.DOVECOT_BIN;
  for (const candidate of ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot']) if (existsSync(candidate)) return candidate;
  return undefined;
}

function idOf(user: string, flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim());
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Who runs what. As root (this machine), Dovecot refuses to let imap-login run as root and to serve
 * mail as uid 0: the login process runs as dovenull, the internal ones as dovecot, and the mail
 * belongs to the dovecot user. As anyone else, every process runs as that user, and the sockets
 * Dovecot gives its internal group belong to that user's group (it may not chown them to dovecot).
 */
function usersFor(): { login: string; internal: string; internalGroup: string; uid: number; gid: number; root: boolean } {
  if (process.getuid?.() === 0) return { login: 'dovenull', internal: 'dovecot', internalGroup: 'dovecot', uid: idOf('dovecot', '-u'), gid: idOf('dovecot', '-g'), root: true };
  const me = os.userInfo();
  const group = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
  return { login: me.username, internal: me.username, internalGroup: group, uid: me.uid, gid: me.gid, root: false };
}

function configText(dir: string, port: number, users: ReturnType<typeof usersFor>, password: string): string {
  return `# Written by test/support/dovecot.ts: a throwaway IMAP server for one test run.
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = ${HOST}
ssl = no
disable_plaintext_auth = no
# A refused login answers at once (the default waits 2 s: brute-force protection a test does not need).
auth_failure_delay = 0
auth_mechanisms = plain login
default_login_user = ${users.login}
default_internal_user = ${users.internal}
default_internal_group = ${users.internalGroup}
first_valid_uid = 1
mail_location = maildir:${dir}/mail/%u
# Any user name logs in with the password: each test takes a user, and so a maildir, of its own.
passdb {
  driver = static
  args = password=${password}
}
userdb {
  driver = static
  args = uid=${users.uid} gid=${users.gid} home=${dir}/home/%u
}
# No growing delay for logins from an address that failed one (anvil's auth penalty): a test of a
# wrong password must not slow down the next test's login.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }${users.root ? '' : '\n  chroot ='}
}
service imap-login {${users.root ? '' : '\n  # Only root may chroot.\n  chroot ='}
  inet_listener imap {
    address = ${HOST}
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`;
}

/** Resolves on the server's `* OK` greeting; rejects with what it saw otherwise. */
function greeting(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, HOST);
    let data = '';
    socket.setTimeout(2000, () => socket.destroy(new Error(`no greeting within 2 s (received ${JSON.stringify(data)})`)));
    socket.on('data', (chunk) => {
      data += chunk.toString();
      if (data.includes('\n')) {
        socket.end('a LOGOUT\r\n');
        socket.destroy();
        if (data.startsWith('* OK')) resolve(data.trim());
        else reject(new Error(`unexpected greeting ${JSON.stringify(data.trim())}`));
      }
    });
    socket.on('error', reject);
    // Closed without a word (a login process that cannot start): settles as a failure too.
    socket.on('close', () => reject(new Error(`connection closed without a greeting (received ${JSON.stringify(data)})`)));
  });
}

export async function startDovecot(options: DovecotOptions = {}): Promise<DovecotServer> {
  const binary = dovecotBinary();
  if (!binary) throw new Error('dovecot is not installed: run `bash scripts/tools.sh` (apt-get install dovecot-imapd)');
  const user = options.user ?? 'bounces';
  const password = options.password ?? 'bounce-password';
  const users = usersFor();
  for (let attempt = 1; ; attempt++) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mailings-dovecot-'));
    // Dovecot's own users must reach the sockets and the maildir inside it.
    await fs.chmod(dir, 0o755);
    for (const sub of ['run', 'state', 'mail', 'home']) await fs.mkdir(path.join(dir, sub));
    if (users.root) for (const sub of ['mail', 'home']) await fs.chown(path.join(dir, sub), users.uid, users.gid);
    const port = await freePort();
    const conf = path.join(dir, 'dovecot.conf');
    await fs.writeFile(conf, configText(dir, port, users, password));
    // Foreground (-F), so this process owns it; its own process group, so stop() ends its children too.
    const child = spawn(binary, ['-F', '-c', conf], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const server = makeServer(child, exited, dir, port, user, password, () => output);
    try {
      await waitForGreeting(port, exited, options.startTimeoutMs ?? 20_000, server);
      return server;
    } catch (error) {
      const logs = await server.logs();
      await server.stop();
      // Another process took the free port between our look and Dovecot's bind: try another one.
      if (attempt < 3 && /Address already in use/.test(logs)) continue;
      throw new Error(`${(error as Error).message}\n--- dovecot output and log ---\n${logs}`);
    }
  }
}

async function waitForGreeting(port: number, exited: Promise<number | null>, timeoutMs: number, server: DovecotServer): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'nothing yet';
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  for (;;) {
    if (exitCode !== undefined) throw new Error(`dovecot exited (code ${exitCode}) before it answered on ${HOST}:${port}`);
    try {
      await greeting(port);
      return;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`dovecot did not greet on ${HOST}:${port} within ${timeoutMs} ms (last: ${last}; dir ${server.dir})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function makeServer(child: ChildProcess, exited: Promise<number | null>, dir: string, port: number, user: string, password: string, output: () => string): DovecotServer {
  let stopped: Promise<void> | undefined;
  const server: DovecotServer = {
    host: HOST,
    port,
    user,
    password,
    dir,
    account: (overrides = {}) => ({ host: HOST, port, security: 'none', user, password, ...overrides }),
    async client(as = user) {
      const client = new ImapFlow({ host: HOST, port, secure: false, doSTARTTLS: false, auth: { user: as, pass: password }, logger: false, disableAutoIdle: true });
      client.on('error', () => undefined);
      await client.connect();
      return client;
    },
    async logs() {
      const log = await fs.readFile(path.join(dir, 'dovecot.log'), 'utf8').catch(() => '');
      return `${output()}${log}`;
    },
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
          try {
            process.kill(-child.pid, 'SIGTERM');
          } catch {
            // Already gone.
          }
          const timer = setTimeout(() => {
            try {
              process.kill(-child.pid!, 'SIGKILL');
            } catch {
              // Gone meanwhile.
            }
          }, 5000);
          await exited;
          clearTimeout(timer);
        }
        await fs.rm(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
  return server;
}

/** Appends raw messages to a folder (LF line ends become CRLF, as IMAP wants); returns their UIDs. */
export async function appendMessages(server: DovecotServer, folder: string, messages: (string | Buffer)[], options: { user?: string; flags?: string[] } = {}): Promise<number[]> {
  const flags = options.flags ?? [];
  const client = await server.client(options.user);
  try {
    const uids: number[] = [];
    for (const message of messages) {
      const text = (typeof message === 'string' ? message : message.toString('utf8')).replace(/\r?\n/g, '\r\n');
      const result = await client.append(folder, text, flags);
      if (!result || result.uid === undefined) throw new Error(`APPEND to ${folder} returned no UID`);
      uids.push(result.uid);
    }
    return uids;
  } finally {
    await client.logout();
  }
}

export interface FolderMessage {
  uid: number;
  flags: string[];
  messageId?: string;
  subject?: string;
}

/** The messages of a folder with their flags (an empty list for a folder that does not exist). */
export async function folderMessages(server: DovecotServer, folder: string, user?: string): Promise<FolderMessage[]> {
  const client = await server.client(user);
  try {
    const list = await client.list();
    if (!list.some((box) => box.path === folder)) return [];
    const lock = await client.getMailboxLock(folder);
    try {
      if (!client.mailbox || client.mailbox.exists === 0) return [];
      const messages = await client.fetchAll('1:*', { uid: true, flags: true, envelope: true });
      return messages.map((message) => ({
        uid: message.uid,
        // \Recent is the session's own flag (the first session to see a message), not the message's.
        flags: [...(message.flags ?? [])].filter((flag) => flag !== '\\Recent').sort(),
        messageId: message.envelope?.messageId,
        subject: message.envelope?.subject,
      }));
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
}
