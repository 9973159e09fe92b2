// Transport step: how messages are handed off (outbox or SMTP), at what rate, signed with which key.
import { isValidEmail } from '../load/addresses';
import type { Diagnostic } from '../types';
import { cutValue, diagnostic, fileProblem, quoteValue, type CheckContext } from './context';

export function checkTransport(ctx: CheckContext): Diagnostic[] {
  const { loaded } = ctx;
  const { ranges } = loaded;
  const found: Diagnostic[] = [];
  if (loaded.sending.transport === 'smtp' && !ctx.smtpConfigured) {
    found.push(
      diagnostic(
        'transport-unconfigured',
        'error',
        'transport',
        'Transport is smtp but no SMTP server is configured: set the SMTP host in the settings (CLI: --smtp or MAILINGS_SMTP_URL), or use `transport: outbox`',
        ranges.value(['sending', 'transport']),
      ),
    );
  }
  if (loaded.rate && !loaded.rate.ok) found.push(diagnostic('rate-invalid', 'error', 'transport', loaded.rate.message, ranges.value(['sending', 'rate'])));
  const bounce = loaded.sending.bounceAddress;
  if (bounce !== undefined && !isValidEmail(bounce)) {
    found.push(diagnostic('schema', 'error', 'transport', `Bounce address ${quoteValue(bounce)} is not a valid address`, ranges.value(['sending', 'bounceAddress'])));
  }
  const key = loaded.dkimKey;
  if (key?.problem) {
    const written = cutValue((loaded.data.sending as { dkim: { privateKey: string } }).dkim.privateKey.trim());
    found.push(fileProblem('transport', written, key.problem, ranges.value(key.path)));
  }
  return found;
}
