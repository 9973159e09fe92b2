// `mailings run`: a foreground scheduler for a server or CI job. It joins the leader election of the
// state root (so it can run beside VS Code windows: one of them schedules), sends each mailing that
// comes due, and stops gracefully on SIGINT/SIGTERM (messages in flight finish; Start resumes).
import * as path from 'node:path';
import { DEFAULT_GRACE_MS, DEFAULT_POLL_MS, describeDistance, SCHEDULER_ACTIONS, formatDuration, parseDuration, readSchedulerLeader, Scheduler, type SchedulerEvent, type Statistics } from '../../core/index';
import { defineCommand, interruptExit, usageExit } from '../command';
import { viaDestination } from '../destinationText';
import { EXIT, UsageError } from '../io';
import { SEND_OPTIONS, sendContextFromCli } from '../smtpOptions';
import { describeWait } from '../paceText';

function durationOption(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw new UsageError(`--${name}: '${text}' is not a duration (e.g. 30s, 5m, 1h)`);
  return ms;
}

/** One line per scheduler event, for a log. */
export function describeSchedulerEvent(event: SchedulerEvent, cwd: string): string {
  const name = (file: string) => path.relative(cwd, file) || file;
  const via = (statistics: Statistics) => (statistics.destination ? `, ${viaDestination(statistics.destination, cwd)}` : '');
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
      return `${name(event.file)}: sending${event.destination ? ` ${viaDestination(event.destination, cwd, false)}` : ''}`;
    case 'completed':
      return `${name(event.file)}: completed: ${event.statistics.sent} sent, ${event.statistics.failed} failed${via(event.statistics)}`;
    case 'waiting':
      return `${name(event.file)}: paused after ${event.statistics.sent} of ${event.statistics.total} sent, waiting for ${describeWait(event.reason, event.until)}`;
    case 'stopped':
      return `${name(event.file)}: stopped: ${event.reason} (${event.statistics.sent} of ${event.statistics.total} sent${via(event.statistics)}; Start resumes)`;
    case 'missed':
      return `${name(event.file)}: missed its moment ${event.at} by ${formatDuration(event.lateMs)} (more than the grace period): not sent; Start it (mailings start) or schedule it again`;
    case 'skipped':
      return `${name(event.file)}: not started here: ${event.message}`;
    case 'error':
      return `${event.file ? `${name(event.file)}: ` : ''}error: ${event.message}`;
  }
}

export const run = defineCommand({
  name: 'run',
  summary: 'run the scheduler in the foreground: send mailings as they come due, until interrupted',
  description: [
    'Joins the scheduling of the state folder (beside VS Code windows and other `mailings run`: one of',
    'them schedules). Prints one line per event on stdout (errors on stderr), each mailing that starts',
    'with where its messages go. Ctrl-C or SIGTERM stops it: mailings being sent stop after the',
    'messages in flight (Start resumes them), then it exits 0.',
  ].join('\n'),
  options: {
    poll: { type: 'string', value: 'DURATION', description: `how often the schedules are checked besides the exact moments (default ${formatDuration(DEFAULT_POLL_MS)})` },
    grace: { type: 'string', value: 'DURATION', description: `how late a mailing may start after its moment passed while nothing ran (default ${formatDuration(DEFAULT_GRACE_MS)}); later, it is missed` },
    ...SEND_OPTIONS,
  },
  env: ['MAILINGS_SMTP_URL', 'MAILINGS_SMTP_PASSWORD', 'MAILINGS_SOFT_BOUNCE_LIMIT'],
  exitCodes: [
    [EXIT.ok, 'stopped by Ctrl-C or SIGTERM after the mailings being sent had stopped'],
    [EXIT.failed, 'the scheduler could not start (the state folder cannot be written)'],
    usageExit('a --poll or --grace that is no duration'),
    [interruptExit()[0], 'a second Ctrl-C (143: SIGTERM) while stopping: quits at once; the messages in flight are resent, counted as uncertain, on Start'],
  ],
  examples: ['mailings run', 'MAILINGS_SMTP_URL=smtp://news@mail.example.com:587 mailings run --poll 10s --grace 2h'],
  async run({ values }, io) {
    io.stopsGracefully();
    const pollMs = durationOption('poll', values.poll, DEFAULT_POLL_MS);
    const graceMs = durationOption('grace', values.grace, DEFAULT_GRACE_MS);
    const sendContext = sendContextFromCli(values, io, `mailings run (pid ${process.pid})`);
    const scheduler = new Scheduler({
      actions: SCHEDULER_ACTIONS,
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
    const why = await io.interrupted;
    io.stderr.write(`mailings run: stopping${why.kind === 'output-closed' ? ' (its output was closed)' : ''} (mailings being sent stop after the messages in flight)\n`);
    await scheduler.stop(why.kind === 'signal' ? `stopped: mailings run was interrupted (${why.signal})` : 'stopped: the output of mailings run was closed');
    return EXIT.ok;
  },
});
