// `mailings run`: a foreground scheduler for a server or CI job. It joins the leader election of the
// state root (so it can run beside VS Code windows: one of them schedules), sends each mailing that
// comes due, and stops gracefully on SIGINT/SIGTERM (messages in flight finish; Start resumes).
import * as path from 'node:path';
import { formatDuration, parseDuration } from '../../core/schedule/duration';
import { readSchedulerLeader } from '../../core/schedule/leader';
import { DEFAULT_GRACE_MS, DEFAULT_POLL_MS, Scheduler, type SchedulerEvent } from '../../core/schedule/scheduler';
import { describeDistance } from '../../core/schedule/when';
import { parseCommandLine, UsageError, type CliIO, type Command } from '../io';
import { describeWait } from '../paceText';
import { sendContextFromCli } from '../smtpOptions';

function durationOption(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw new UsageError(`--${name}: '${text}' is not a duration (e.g. 30s, 5m, 1h)`);
  return ms;
}

/** One line per scheduler event, for a log. */
export function describeSchedulerEvent(event: SchedulerEvent, cwd: string): string {
  const name = (file: string) => path.relative(cwd, file) || file;
  switch (event.type) {
    case 'leader':
      return event.leader ? 'this process now schedules the mailings of the state folder' : 'this process no longer schedules';
    case 'armed':
      if (event.waitingFor) return `${name(event.file)}: waiting for ${describeWait(event.waitingFor, event.at)}`;
      return `${name(event.file)}: due at ${event.at} (${describeDistance(Date.parse(event.at) - Date.now())})`;
    case 'disarmed':
      return `${name(event.file)}: no longer scheduled`;
    case 'due':
      if (event.waitingFor) return `${name(event.file)}: may go on (${event.waitingFor}), resuming`;
      return `${name(event.file)}: due${event.lateMs >= 1000 ? ` (${formatDuration(event.lateMs)} late)` : ''}, starting`;
    case 'started':
      return `${name(event.file)}: sending`;
    case 'completed':
      return `${name(event.file)}: completed: ${event.statistics.sent} sent, ${event.statistics.failed} failed`;
    case 'waiting':
      return `${name(event.file)}: paused after ${event.statistics.sent} of ${event.statistics.total} sent, waiting for ${describeWait(event.reason, event.until)}`;
    case 'stopped':
      return `${name(event.file)}: stopped: ${event.reason} (${event.statistics.sent} of ${event.statistics.total} sent; Start resumes)`;
    case 'missed':
      return `${name(event.file)}: missed its moment ${event.at} by ${formatDuration(event.lateMs)} (more than the grace period): not sent; Start it (mailings start) or schedule it again`;
    case 'skipped':
      return `${name(event.file)}: not started here: ${event.message}`;
    case 'error':
      return `${event.file ? `${name(event.file)}: ` : ''}error: ${event.message}`;
  }
}

export const run: Command = {
  summary: 'run the scheduler in the foreground: send mailings as they come due, until interrupted',
  usage: 'mailings run [--state-dir DIR] [--poll 30s] [--grace 1h] [--smtp smtp(s)://user@host:port]',
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandLine({
      args: argv,
      options: { 'state-dir': { type: 'string' }, poll: { type: 'string' }, grace: { type: 'string' }, smtp: { type: 'string' } },
    });
    const pollMs = durationOption('poll', values.poll, DEFAULT_POLL_MS);
    const graceMs = durationOption('grace', values.grace, DEFAULT_GRACE_MS);
    const sendContext = sendContextFromCli(values, io, `mailings run (pid ${process.pid})`);
    const scheduler = new Scheduler({
      stateRoot: sendContext.stateRoot,
      sendContext,
      pollMs,
      graceMs,
      onEvent: (event) => {
        const line = `${new Date().toISOString()} ${describeSchedulerEvent(event, io.cwd)}\n`;
        (event.type === 'error' ? io.stderr : io.stdout).write(line);
      },
    });
    io.stderr.write(`mailings run: scheduling ${sendContext.stateRoot} (check every ${formatDuration(pollMs)}, grace ${formatDuration(graceMs)}); Ctrl+C stops\n`);
    await scheduler.start();
    if (!scheduler.isLeader) {
      const leader = await readSchedulerLeader(sendContext.stateRoot);
      io.stderr.write(`mailings run: ${leader ? `${leader.owner} (pid ${leader.pid} on ${leader.host})` : 'another process'} schedules now; this one takes over if it ends\n`);
    }
    await io.interrupted;
    io.stderr.write('mailings run: stopping (mailings being sent stop after the messages in flight)\n');
    await scheduler.stop('stopped: mailings run was interrupted');
    return 0;
  },
};
