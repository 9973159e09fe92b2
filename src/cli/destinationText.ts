import { describeDestination, type Destination } from '../core/index';

/** The note after an outbox folder: in the past once messages were written, else in the present. */
function outboxNote(done: boolean): string {
  return done ? '(no mail left this machine)' : '(no mail leaves this machine)';
}

/** `via smtp 127.0.0.1:2525` | `to the outbox .mailings/outbox/<id>/ (no mail left this machine)`. */
export function viaDestination(destination: Destination, cwd: string, done = true): string {
  if (destination.transport === 'smtp') return `via ${describeDestination(destination)}`;
  return `to ${describeDestination(destination, cwd)} ${outboxNote(done)}`;
}

/** The line of a summary: `destination: smtp 127.0.0.1:2525` | `destination: the outbox … (…)`. */
export function destinationLine(destination: Destination, cwd: string, done: boolean): string {
  const described = describeDestination(destination, cwd);
  return `destination: ${destination.transport === 'smtp' ? described : `${described} ${outboxNote(done)}`}`;
}

/** What `mailings test` prints: `Test sent to a@x via smtp …` or `Test for a@x written to the outbox …`. */
export function testSentLine(to: string[], messageIds: string[], destination: Destination, cwd: string): string {
  const ids = messageIds.join(', ');
  if (destination.transport === 'smtp') return `Test sent to ${to.join(', ')} ${viaDestination(destination, cwd)} (${ids})`;
  return `Test for ${to.join(', ')} written to ${describeDestination(destination, cwd)} (${ids}); no mail left this machine`;
}
