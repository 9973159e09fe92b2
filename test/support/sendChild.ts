// A separate process that sends a mailing, for the crash and two-process tests:
//   node out/test/support/sendChild.js '<json: { action, modelFile, file, stateRoot, smtp }>'
// (action send: Send now; resend: Reload and resend, the model file holding the target list as it is now; start: Start).
// Prints the final statistics as JSON on stdout. Exit 0: completed; 3: stopped; 4: refused
// (MailingActionError, its code on stdout); 1: anything else.
import { promises as fs } from 'node:fs';
import { MailingActionError, resendMailing, sendNow, startMailing } from '../../src/core/actions';
import type { ConfirmModel, SendContext, SmtpConfig } from '../../src/core/types';

interface ChildArgs {
  action: 'send' | 'resend' | 'start';
  /** For send and resend: a JSON file holding the confirm model. */
  modelFile?: string;
  file: string;
  stateRoot: string;
  smtp?: SmtpConfig;
}

async function main(): Promise<number> {
  const args = JSON.parse(process.argv[2]) as ChildArgs;
  const ctx: SendContext = { stateRoot: args.stateRoot, smtp: args.smtp, owner: `test child ${process.pid}` };
  try {
    const model = async () => JSON.parse(await fs.readFile(args.modelFile ?? '', 'utf8')) as ConfirmModel;
    const stats =
      args.action === 'send' ? await sendNow(await model(), ctx) : args.action === 'resend' ? await resendMailing(await model(), ctx) : await startMailing(args.file, ctx);
    process.stdout.write(JSON.stringify(stats) + '\n');
    return stats.status === 'completed' ? 0 : 3;
  } catch (error) {
    if (error instanceof MailingActionError) {
      process.stdout.write(JSON.stringify({ refused: error.code, message: error.message }) + '\n');
      return 4;
    }
    process.stderr.write(String(error instanceof Error ? error.stack : error) + '\n');
    return 1;
  }
}

void main().then((code) => process.exit(code));
