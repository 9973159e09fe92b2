import * as assert from 'node:assert/strict';
import { buildConfirmModel, toResolvedMailing } from '../../src/core/confirmModel';
import { prepareMailing, personalize } from '../../src/core/render/prepared';
import { mailingStateDir } from '../../src/core/state/paths';
import { writeTestRecord } from '../../src/core/state/testRecord';
import { STARTER_FORMATS, starterFiles } from '../../src/core/starters';
import { NOW, TempDir } from '../fixtures/core/mailingFixture';

describe('starters (New Mailing)', () => {
  for (const format of STARTER_FORMATS) {
    it(`the ${format} starter validates clean but for the test, and once tested its message greets by name and links the unsubscribe page`, async () => {
      const dir = await TempDir.create();
      try {
        const starter = starterFiles('Spring sale', format);
        assert.equal(starter.mailing.name, 'spring-sale.mailing.yaml');
        assert.match(starter.content.name, /^spring-sale\.(html|mjml|md)$/);
        await dir.write({ [starter.mailing.name]: starter.mailing.text, [starter.content.name]: starter.content.text });
        const file = dir.file(starter.mailing.name);
        const stateRoot = dir.file('.mailings');
        const untested = await buildConfirmModel(file, { now: NOW, stateRoot, defaultTimezone: 'UTC' });
        assert.deepEqual(
          untested.diagnostics.filter((d) => d.severity !== 'info').map((d) => [d.severity, d.code]),
          [['error', 'test-not-sent']],
        );
        await writeTestRecord(mailingStateDir(stateRoot, file), { version: 1, at: NOW.toISOString(), to: ['you@example.com'], hash: untested.contentHash!, messageIds: [] });
        const model = await buildConfirmModel(file, { now: NOW, stateRoot, defaultTimezone: 'UTC' });
        assert.equal(model.hasErrors, false);
        const mailing = toResolvedMailing(model);
        const message = personalize(await prepareMailing(mailing, { messageIdToken: 't' }), mailing.targetList.recipients[0], 0);
        assert.match(message.html ?? '', /Hello Jane,/);
            assert.match(message.html ?? '', /href="https:\/\/example\.com\/unsubscribe\?e=jane(%40|@)example\.com"/);
        assert.match(message.text, /Hello Jane,/);
      } finally {
        await dir.remove();
      }
    });
  }

  it('names the files after the mailing, and never writes outside the folder', () => {
    assert.equal(starterFiles('../../Etc Passwd', 'html').mailing.name, 'etc-passwd.mailing.yaml');
    assert.equal(starterFiles('Nieuwsbrief: december!', 'markdown').content.name, 'nieuwsbrief-december.md');
    assert.match(starterFiles('a: b # c', 'mjml').mailing.text, /^name: "a: b # c"$/m);
  });
});
