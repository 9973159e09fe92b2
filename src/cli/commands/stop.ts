// `mailings stop <file>`: Stop. A scheduled mailing goes back to draft; a mailing being sent (by this
// machine's VS Code, another CLI) stops after its messages in flight — this waits until it has.
import * as path from 'node:path';
import { stopMailing } from '../../core/index';
import { defineCommand, interruptExit, usageExit } from '../command';
import { EXIT } from '../io';
import { reportRefusal } from '../sendRun';
import { STATE_DIR_OPTION, stateRootFromCli } from '../smtpOptions';
import { statisticsJson, summaryText } from '../statisticsText';
import { cliWords } from '../words';
import { MAILING_FILE_ARGUMENT } from './mailingArgument';

export const stop = defineCommand({
  name: 'stop',
  summary: 'Stop: unschedule a scheduled mailing, or stop one being sent',
  description: 'A mailing being sent by another process gets a stop request; this waits (up to 2 minutes) until it has stopped.',
  arguments: MAILING_FILE_ARGUMENT,
  options: {
    json: { type: 'boolean', description: 'print the statistics after the stop as JSON (as `mailings status --json`)' },
    ...STATE_DIR_OPTION,
  },
  env: [],
  exitCodes: [
    [EXIT.ok, 'unscheduled, or stopped'],
    [EXIT.failed, 'refused (the mailing is neither scheduled nor being sent) or the sender did not stop in time (the request stays)'],
    usageExit(),
    interruptExit('a stop request already written stays'),
  ],
  examples: ['mailings stop newsletter.mailing.yaml'],
  async run({ values, positionals, lang }, io) {
    const file = path.resolve(io.cwd, positionals[0]);
    const ctx = { stateRoot: stateRootFromCli(values['state-dir'], io, file), owner: `mailings stop (pid ${process.pid})` };
    try {
      const statistics = await stopMailing(file, ctx);
      io.stdout.write(values.json ? JSON.stringify(statisticsJson(statistics), null, 2) + '\n' : summaryText(statistics, io.cwd, cliWords(lang)));
      return EXIT.ok;
    } catch (error) {
      const code = reportRefusal(io, 'stop', error, Boolean(values.json), lang);
      if (code === undefined) throw error;
      return code;
    }
  },
});
