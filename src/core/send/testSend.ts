// The test send: the mailing to its test recipients, with the fields of the first target-list row and
// the subject prefixed `[TEST] `. Nothing is journaled; the caller writes the test record.
import { randomBytes } from 'node:crypto';
import type { ResolvedMailing, SendContext } from '../types';
import { templateRenderer } from '../render/templateRenderer';
import { prepareMailing } from '../render/prepared';
import type { RendererFactory } from '../render/renderer';
import { openTransport } from './openTransport';
import { DeliveryError } from './transport';

export const TEST_SUBJECT_PREFIX = '[TEST] ';
/** The outbox transport writes test messages to this folder inside the mailing's outbox. */
export const TEST_OUTBOX_SUBDIR = 'test';

export interface TestDelivery {
  to: string;
  messageId: string;
  reply: string;
}

export class TestSendError extends Error {
  readonly code = 'test-failed';
  constructor(
    message: string,
    readonly delivered: TestDelivery[],
  ) {
    super(message);
  }
}

export async function sendTestMessages(mailing: ResolvedMailing, ctx: SendContext, options: { renderer?: RendererFactory; at?: Date } = {}): Promise<TestDelivery[]> {
  const first = mailing.targetList.recipients[0];
  if (!first) throw new TestSendError('the target list has no recipient whose fields a test could use', []);
  const at = options.at ?? new Date();
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const prepared = await prepareMailing(mailing, { messageIdToken: `test.${at.getTime().toString(36)}.${randomBytes(4).toString('hex')}` });
  const renderer = (options.renderer ?? templateRenderer)(prepared);
  const transport = openTransport(mailing, ctx, { outboxSubdir: TEST_OUTBOX_SUBDIR, connections: 1, name: (m) => `${stamp}-${m.index}.eml` });
  const delivered: TestDelivery[] = [];
  try {
    for (const [k, to] of mailing.test.recipients.entries()) {
      const message = await renderer.render(first, k, { to, subjectPrefix: TEST_SUBJECT_PREFIX, date: at });
      try {
        const { reply } = await transport.deliver(message);
        delivered.push({ to, messageId: message.messageId, reply });
      } catch (error) {
        const reply = error instanceof DeliveryError ? error.reply : error instanceof Error ? error.message : String(error);
        throw new TestSendError(`the test to ${to} was not delivered: ${reply}`, delivered);
      }
    }
  } finally {
    await transport.close();
  }
  return delivered;
}
