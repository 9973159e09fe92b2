// A separate process that polls the bounce mailbox, for the kill test:
//   node out/test/support/bouncePollChild.js '<json: { account, stateRoot, effects, stopAfter }>'
// Each report handed over is written to `effects` (one JSON line, synced) — what a real consumer
// (the suppression list) would do. After the `stopAfter`-th report has been handed over and recorded,
// and before its message is moved, it prints `between <id>` and freezes (the test kills it there).
// Without stopAfter it polls once and prints `counts <json>`.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { pollBounceMailbox, type ImapAccount } from '../../src/core/bounces/mailboxPoller';
import { makeLookup } from './bounceFixtures';

interface ChildArgs {
  account: ImapAccount;
  stateRoot: string;
  effects: string;
  stopAfter?: number;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2]) as ChildArgs;
  let handed = 0;
  const counts = await pollBounceMailbox({
    account: args.account,
    stateRoot: args.stateRoot,
    lookup: makeLookup(),
    onReport(notice) {
      const fd = openSync(args.effects, 'a');
      try {
        writeSync(fd, JSON.stringify({ id: notice.id, events: notice.attribution.events.map((e) => `${e.recipient.mailing}#${e.recipient.index} ${e.outcome}`) }) + '\n');
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    },
    onProgress(event) {
      if (event.stage !== 'handled' || args.stopAfter === undefined) return;
      handed++;
      if (handed < args.stopAfter) return;
      // Stdout is a pipe: written synchronously on Linux, so the test sees it before we freeze.
      process.stdout.write(`between ${event.id}\n`);
      // Freeze the whole process (no event loop, no further IMAP command) until killed.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    },
  });
  process.stdout.write(`counts ${JSON.stringify(counts)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(String(error instanceof Error ? error.stack : error) + '\n');
    process.exit(1);
  },
);
