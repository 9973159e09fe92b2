// A separate process that sends a mailing, for the crash and two-process tests:
//   node out/test/support/sendChild.js '<json: { action, modelFile, file, stateRoot, smtp }>'
// Prints the final statistics as JSON on stdout. Exit 0: completed; 3: stopped; 4: refused
// (MailingActionError, its code on stdout); 1: anything else.
import { promises as fs } from 'node:fs';
import { MailingActionError, sendNow, startMailing } from '../../src/core/actions';
import type { ConfirmModel, SendContext, SmtpConfig } from '../../src/core/types';

interface ChildArgs {
  action: 'send' | 'start';
  /** For send: a JSON file holding the confirm model. */
  modelFile?: string;
  file: string;
  stateRoot: string;
  smtp?: SmtpConfig;
}

async function main(): Promise<number> {
  const args = JSON.parse(process.argv[2]) as ChildArgs;
  const ctx: SendContext = { stateRoot: args.stateRoot, smtp: args.smtp, owner: `test child ${process.pid}` };
  try {
    const stats =
      args.action === 'send'
        ? await sendNow(JSON.parse(await fs.readFile(args.modelFile ?? '', 'utf8')) as ConfirmModel, ctx)
        : await startMailing(args.file, ctx);
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
