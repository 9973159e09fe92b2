// Test step: test recipients, and whether the mailing as it is now was tested (the test record the
// send engine writes after a test send holds the contentHash of what it sent).
import { isValidEmail } from '../load/addresses';
import type { Diagnostic } from '../types';
import { diagnostic, type CheckContext } from './context';

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
      found.push(diagnostic('recipient-invalid', 'warning', 'test', { kind: 'test', email: address }, ranges.value(['test', 'recipients', index])));
    }
  });
  if (valid.length === 0) {
    found.push(
      diagnostic('test-recipients-missing', 'warning', 'test', {}, testPresent ? ranges.key(['test']) : ranges.missing([]), {
        data: testPresent ? { missingKey: 'recipients', parentPath: ['test'] } : { missingKey: 'test', parentPath: [] },
      }),
    );
  }

  const where = testPresent ? ranges.key(['test']) : ranges.rootRange();
  const record = ctx.test;
  if (!record) {
    found.push(diagnostic('test-not-sent', 'error', 'test', {}, where));
  } else if (record.hash !== ctx.contentHash) {
    found.push(diagnostic('test-outdated', 'error', 'test', { at: record.at, to: record.to }, where));
  }
  return found;
}
