// A process that takes hand-off slots from a quota ledger as fast as the quota allows, for the test
// that several processes never exceed one quota together:
//   node out/test/support/ledgerChild.js <stateRoot> <key> <count> <periodMs> <untilEpochMs>
// Prints the instants of the slots it got as a JSON array.
import { HandoffLedger } from '../../src/core/pace/ledger';

async function main(): Promise<void> {
  const [stateRoot, key, count, periodMs, until] = process.argv.slice(2);
  const ledger = HandoffLedger.open(stateRoot, key);
  const limits = { quotas: [{ count: Number(count), periodMs: Number(periodMs), text: `${count}/${periodMs}ms` }] };
  const got: number[] = [];
  while (Date.now() < Number(until)) {
    const reservation = await ledger.reserve(limits, Date.now());
    if (reservation.ok) got.push(reservation.at);
    else await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(reservation.freeAt, Number(until)) - Date.now())));
  }
  await ledger.close();
  process.stdout.write(JSON.stringify(got) + '\n');
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(String(error instanceof Error ? error.stack : error) + '\n');
    process.exit(1);
  },
);
