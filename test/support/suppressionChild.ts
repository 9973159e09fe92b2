// A separate process that writes the suppression files, for the two-writer tests:
//   node out/test/support/suppressionChild.js '<json: { stateRoot, action, addresses, mailing? }>'
// Prints `ready`, waits for `go` on stdin (so two children start together), then does its writes
// one call per address (the most interleaving) and prints `done <json>`.
import { SoftBounces } from '../../src/core/suppression/softBounces';
import { SuppressionList } from '../../src/core/suppression/suppressionList';

interface ChildArgs {
  stateRoot: string;
  action: 'add' | 'remove' | 'soft-bounce';
  addresses: string[];
  mailing?: string;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2]) as ChildArgs;
  const list = new SuppressionList(args.stateRoot);
  const soft = new SoftBounces(args.stateRoot, list, { limit: 2 });
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => {
    let input = '';
    process.stdin.on('data', (chunk: Buffer) => {
      input += chunk.toString();
      if (input.includes('go\n')) resolve();
    });
  });
  let done = 0;
  for (const address of args.addresses) {
    if (args.action === 'add') await list.add([{ address, reason: 'hard-bounce', mailing: args.mailing, detail: `550 5.1.1 ${address}: user unknown` }]);
    else if (args.action === 'remove') await list.remove([address]);
    else await soft.record({ address, mailing: args.mailing ?? 'm', detail: '552 5.2.2 mailbox full' });
    done++;
  }
  process.stdout.write(`done ${JSON.stringify({ done })}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(String(error instanceof Error ? error.stack : error) + '\n');
    process.exit(1);
  },
);
