// Test step: test recipients, and whether the mailing as it is now was tested (the test record the
// send engine writes after a test send holds the contentHash of what it sent).
import { describeInstant } from '../schedule/when';
import { isValidEmail } from '../load/addresses';
import type { Diagnostic } from '../types';
import { diagnostic, quoteValue, type CheckContext } from './context';

export function checkTest(ctx: CheckContext): Diagnostic[] {
  const { loaded } = ctx;
  const { data, ranges } = loaded;
  const found: Diagnostic[] = [];
  const testData = data.test;
  const testPresent = testData !== undefined && testData !== null;

  const valid: string[] = [];
  loaded.testRecipients.forEach((address) => {
    if (isValidEmail(address.trim())) valid.push(address);
  });
  const recipients = Array.isArray((testData as { recipients?: unknown } | undefined)?.recipients) ? ((testData as { recipients: unknown[] }).recipients) : [];
  recipients.forEach((address, index) => {
    if (typeof address === 'string' && !isValidEmail(address.trim())) {
      found.push(diagnostic('recipient-invalid', 'warning', 'test', `Test address ${quoteValue(address)} is not a valid address`, ranges.value(['test', 'recipients', index])));
    }
  });
  if (valid.length === 0) {
    found.push(
      diagnostic('test-recipients-missing', 'warning', 'test', 'No test recipients: add `test: recipients: [you@example.com]` to send yourself a test', testPresent ? ranges.key(['test']) : ranges.missing([]), {
        data: testPresent ? { missingKey: 'recipients', parentPath: ['test'] } : { missingKey: 'test', parentPath: [] },
      }),
    );
  }

  const where = testPresent ? ranges.key(['test']) : ranges.rootRange();
  const record = ctx.test;
  if (!record) {
    found.push(diagnostic('test-not-sent', 'error', 'test', 'No test was sent: send a test and check it before Send now or Schedule', where));
  } else if (record.hash !== ctx.contentHash) {
    const at = new Date(record.at);
    const when = Number.isNaN(at.getTime()) ? record.at : describeInstant(at, ctx.timezone, ctx.now);
    found.push(
      diagnostic('test-outdated', 'error', 'test', `Changed since the last test (${when}, to ${record.to.join(', ') || 'nobody'}): send a new test`, where),
    );
  }
  return found;
}
