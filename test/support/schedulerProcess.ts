// A scheduler in its own process, for the tests that run several on one state root:
// `node out/test/support/schedulerProcess.js <stateRoot> <smtpPort> <pollMs> <graceMs> [leaderStaleMs]`.
// Prints `{"type":"ready","leader":…}` once it campaigned, then every scheduler event, as JSON lines;
// SIGTERM stops it gracefully.
import { SCHEDULER_ACTIONS } from '../../src/core/actions';
import { Scheduler, type SchedulerEvent } from '../../src/core/schedule/scheduler';

const [stateRoot, smtpPort, pollMs, graceMs, leaderStaleMs] = process.argv.slice(2);
const print = (message: object) => process.stdout.write(JSON.stringify({ pid: process.pid, ...message }) + '\n');
const scheduler = new Scheduler({
  stateRoot,
  actions: SCHEDULER_ACTIONS,
  sendContext: { stateRoot, owner: `schedulerProcess ${process.pid}`, smtp: { host: '127.0.0.1', port: Number(smtpPort), security: 'none' } },
  pollMs: Number(pollMs),
  graceMs: Number(graceMs),
  ...(leaderStaleMs ? { leaderStaleMs: Number(leaderStaleMs) } : {}),
  onEvent: (event: SchedulerEvent) => print(event),
});
process.on('SIGTERM', () => void scheduler.stop('terminated').then(() => process.exit(0)));
void scheduler.start().then(() => print({ type: 'ready', leader: scheduler.isLeader }));
