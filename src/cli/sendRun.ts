// Running a send in the foreground for `send --now` and `start`: Ctrl-C stops gracefully (messages in
// flight finish, the stop is journaled, Start resumes), a progress bar on stderr when it is a terminal,
// the result on stdout; exit 0 when completed, 1 when stopped (the reason printed).
import { MailingActionError, type SendOptions } from '../core/actions';
import type { Statistics } from '../core/types';
import type { CliIO } from './io';
import { describeWait } from './paceText';
import { progressLine, statisticsJson, summaryText } from './statisticsText';

export async function runInForeground(
  io: CliIO,
  name: string,
  json: boolean,
  send: (options: SendOptions) => Promise<Statistics>,
): Promise<number> {
  const controller = new AbortController();
  let interrupted = false;
  void io.interrupted.then(() => {
    interrupted = true;
    io.stderr.write(`\nmailings ${name}: stopping after the messages in flight (Ctrl-C again quits at once; Start resumes)…\n`);
    controller.abort('stopped by the user (Ctrl-C)');
  });
  const tty = Boolean(io.stderr.isTTY);
  let drawn = false;
  const statistics = await send({
    signal: controller.signal,
    // Outside its window (or over its quota) a foreground send waits here, holding the mailing; were
    // this process to end, `mailings run` or VS Code would resume it at that moment.
    waitInForeground: true,
    onWaiting: (until, reason) => {
      if (drawn) io.stderr.write('\n');
      drawn = false;
      io.stderr.write(`mailings ${name}: waiting for ${describeWait(reason, until)} (Ctrl-C stops it; \`mailings start\` resumes)\n`);
    },
    onProgress: (s) => {
      if (!tty || interrupted) return;
      io.stderr.write(`\r${progressLine(s)}\x1b[K`);
      drawn = true;
    },
  });
  if (drawn) io.stderr.write('\n');
  io.stdout.write(json ? JSON.stringify(statisticsJson(statistics), null, 2) + '\n' : summaryText(statistics));
  if (statistics.status === 'completed') return 0;
  io.stderr.write(`mailings ${name}: stopped: ${statistics.stoppedReason ?? 'unknown reason'}; \`mailings start\` resumes it\n`);
  return 1;
}

/** Prints a refused action (its message names the state or the errors); undefined when not one. */
export function reportRefusal(io: CliIO, name: string, error: unknown, json: boolean): number | undefined {
  if (!(error instanceof MailingActionError)) return undefined;
  io.stderr.write(`mailings ${name}: ${error.message}\n`);
  if (json) io.stdout.write(JSON.stringify({ refused: error.code, status: error.status, message: error.message }, null, 2) + '\n');
  return 1;
}
