import { type Lang, MailingActionError, mailingEvents, type SendOptions, type Statistics } from '../core/index';
import { viaDestination } from './destinationText';
import { cliWords } from './words';
import { EXIT, interruptedExitCode, type CliIO, type Interruption } from './io';
import { formatterFor, refusalText } from './text';
import { describeWait } from './paceText';
import { progressLine, statisticsJson, summaryText } from './statisticsText';

export async function runInForeground(
  io: CliIO,
  name: string,
  json: boolean,
  send: (options: SendOptions) => Promise<Statistics>,
  lang: Lang = 'en',
): Promise<number> {
  const w = cliWords(lang);
  io.stopsGracefully();
  const controller = new AbortController();
  let interruption: Interruption | undefined;
  void io.interrupted.then((why) => {
    interruption = why;
    if (why.kind === 'signal') {
      io.stderr.write(`\n${w.stoppingAfterInFlight(name)}\n`);
      controller.abort(`stopped by the user (${why.signal === 'SIGINT' ? 'Ctrl-C' : why.signal})`);
    } else {
      controller.abort('stopped: the output of mailings was closed');
    }
  });
  const tty = Boolean(io.stderr.isTTY);
  // Once the run has begun (not before: the action may still refuse), say where the messages go. This
  // process sends one mailing, so the first run that begins is this one.
  const onState = (_file: string, s: Statistics) => {
    if (s.status !== 'sending' || !s.destination) return;
    mailingEvents.off('state', onState);
    io.stderr.write(`${w.sendingVia(name, viaDestination(s.destination, io.cwd, false, w))}\n`);
  };
  mailingEvents.on('state', onState);
  let drawn = false;
  let statistics: Statistics;
  try {
    statistics = await send({
      signal: controller.signal,
      // Outside its window (or over its quota) a foreground send waits here, holding the mailing; were
      // this process to end, `mailings run` or VS Code would resume it at that moment.
      waitInForeground: true,
      onWaiting: (until, reason) => {
        if (drawn) io.stderr.write('\n');
        drawn = false;
        io.stderr.write(`${w.waitingInForeground(name, describeWait(reason, until, w))}\n`);
      },
      onProgress: (s) => {
        if (!tty || interruption) return;
        io.stderr.write(`\r${progressLine(s, undefined, w)}\x1b[K`);
        drawn = true;
      },
    });
  } finally {
    mailingEvents.off('state', onState);
  }
  if (drawn) io.stderr.write('\n');
  io.stdout.write(json ? JSON.stringify(statisticsJson(statistics), null, 2) + '\n' : summaryText(statistics, io.cwd, w));
  if (statistics.status === 'completed') return EXIT.ok;
  io.stderr.write(`${w.stoppedResumes(name, statistics.stoppedReason)}\n`);
  return interruption ? interruptedExitCode(interruption) : EXIT.failed;
}

/** Prints a refused action (its message names the state or the errors); undefined when not one. */
export function reportRefusal(io: CliIO, name: string, error: unknown, json: boolean, lang: Lang): number | undefined {
  if (!(error instanceof MailingActionError)) return undefined;
  const message = refusalText(error.refusal, error.file, io.cwd, formatterFor(lang));
  io.stderr.write(`mailings ${name}: ${message}\n`);
  if (json) io.stdout.write(JSON.stringify({ refused: error.code, status: error.status, message }, null, 2) + '\n');
  return EXIT.failed;
}
