// `mailings test <file>`: sends the mailing to its test recipients (the first target-list row's fields,
// subject `[TEST] …`) and records the test, which clears `test-not-sent` / `test-outdated`. Says where
// the test went: the SMTP server's host:port, or the outbox folder (then no mail left the machine).
import * as path from 'node:path';
import { buildConfirmModel, sendTest } from '../../core/index';
import { defineCommand, interruptExit, usageExit } from '../command';
import { testSentLine } from '../destinationText';
import { EXIT } from '../io';
import { reportRefusal } from '../sendRun';
import { refuseSmtpForOutbox, SEND_OPTIONS, sendContextFromCli } from '../smtpOptions';
import { cliWords } from '../words';
import { MAILING_FILE_ARGUMENT, transportIsCertain } from './mailingArgument';

export const test = defineCommand({
  name: 'test',
  summary: 'Send test: the mailing to its test recipients ([TEST] subject, the first row’s fields)',
  description: 'The test is recorded: it clears test-not-sent and test-outdated until the subject, content, From or attachments change.',
  arguments: MAILING_FILE_ARGUMENT,
  options: {
    json: { type: 'boolean', description: 'print the test record as JSON (to, messageIds, hash, destination)' },
    ...SEND_OPTIONS,
  },
  env: ['MAILINGS_SMTP_URL', 'MAILINGS_SMTP_PASSWORD'],
  exitCodes: [
    [EXIT.ok, 'the test was sent (or written to the outbox)'],
    [EXIT.failed, 'refused (errors other than the test step, no test.recipients, no SMTP server) or not delivered'],
    usageExit('--smtp or MAILINGS_SMTP_URL for a mailing whose transport is outbox'),
    interruptExit(),
  ],
  examples: ['mailings test newsletter.mailing.yaml', 'MAILINGS_SMTP_PASSWORD=… mailings test newsletter.mailing.yaml --smtp smtp://news@mail.example.com:587'],
  async run({ values, positionals, lang }, io) {
    const file = path.resolve(io.cwd, positionals[0]);
    const ctx = sendContextFromCli(values, io, `mailings test (pid ${process.pid})`, file);
    const model = await buildConfirmModel(file, { stateRoot: ctx.stateRoot, smtpConfigured: ctx.smtp !== undefined });
    if (transportIsCertain(model)) refuseSmtpForOutbox(model.mailing, ctx, values, io);
    try {
      const record = await sendTest(model, ctx);
      if (values.json) io.stdout.write(JSON.stringify(record, null, 2) + '\n');
      else io.stdout.write(testSentLine(record.to, record.messageIds, record.destination, io.cwd, cliWords(lang)) + '\n');
      return EXIT.ok;
    } catch (error) {
      const code = reportRefusal(io, 'test', error, Boolean(values.json), lang);
      if (code === undefined) throw error;
      return code;
    }
  },
});
