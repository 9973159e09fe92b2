// Transport step: how messages are handed off (outbox or SMTP), at what rate, signed with which key.
import { isValidEmail } from '../load/addresses';
import type { Diagnostic } from '../types';
import { diagnostic, fileProblem, type CheckContext } from './context';

export function checkTransport(ctx: CheckContext): Diagnostic[] {
  const { loaded } = ctx;
  const { ranges } = loaded;
  const found: Diagnostic[] = [];
  if (loaded.sending.transport === 'smtp' && !ctx.smtpConfigured) {
    found.push(
      diagnostic('transport-unconfigured', 'error', 'transport', {}, ranges.value(['sending', 'transport'])),
    );
  }
  if (loaded.rate && !loaded.rate.ok) found.push(diagnostic('rate-invalid', 'error', 'transport', loaded.rate.problem, ranges.value(['sending', 'rate'])));
  const bounce = loaded.sending.bounceAddress;
  if (bounce !== undefined && !isValidEmail(bounce)) {
    found.push(diagnostic('schema', 'error', 'transport', { kind: 'bounce-address', address: bounce }, ranges.value(['sending', 'bounceAddress'])));
  }
  const key = loaded.dkimKey;
  if (key?.problem) {
    const written = (loaded.data.sending as { dkim: { privateKey: string } }).dkim.privateKey.trim();
    found.push(fileProblem('transport', written, key.problem, ranges.value(key.path)));
  }
  return found;
}
