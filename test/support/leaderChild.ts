// A process that campaigns for the scheduler leadership of a state root and reports each change on
// stdout as a JSON line: `node out/test/support/leaderChild.js <stateRoot> <retryMs>`.
import { LeaderElection } from '../../src/core/schedule/leader';

const [stateRoot, retryMs] = process.argv.slice(2);
const election = new LeaderElection({
  stateRoot,
  owner: `leaderChild ${process.pid}`,
  retryMs: Number(retryMs),
  onChange: (leader) => process.stdout.write(JSON.stringify({ pid: process.pid, leader }) + '\n'),
});
process.on('SIGTERM', () => void election.stop().then(() => process.exit(0)));
void election.start().then(() => process.stdout.write(JSON.stringify({ pid: process.pid, ready: true }) + '\n'));
