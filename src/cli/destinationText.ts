import { describeDestination, type Destination } from '../core/index';
import { cliWords, type CliWords } from './words';

/** `via smtp 127.0.0.1:2525` | `to the outbox .mailings/outbox/<id>/ (no mail left this machine)`. */
export function viaDestination(destination: Destination, cwd: string, done = true, w: CliWords = cliWords()): string {
  if (destination.transport === 'smtp') return w.via(describeDestination(destination));
  return w.toOutbox(describeDestination(destination, cwd, w.theOutbox), w.outboxNote(done));
}

/** The line of a summary: `destination: smtp 127.0.0.1:2525` | `destination: the outbox … (…)`. */
export function destinationLine(destination: Destination, cwd: string, done: boolean, w: CliWords = cliWords()): string {
  const described = describeDestination(destination, cwd, w.theOutbox);
  return w.destination(destination.transport === 'smtp' ? described : `${described} ${w.outboxNote(done)}`);
}

/** What `mailings test` prints: `Test sent to a@x via smtp …` or `Test for a@x written to the outbox …`. */
export function testSentLine(to: string[], messageIds: string[], destination: Destination, cwd: string, w: CliWords = cliWords()): string {
  const ids = messageIds.join(', ');
  if (destination.transport === 'smtp') return w.testSent(to.join(', '), viaDestination(destination, cwd, true, w), ids);
  return w.testWritten(to.join(', '), describeDestination(destination, cwd, w.theOutbox), ids);
}
