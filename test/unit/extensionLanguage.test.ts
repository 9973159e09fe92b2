// The pure helpers behind the editor's completion, hover and quick fixes (src/extension/language):
// YAML path at the cursor, schema look-ups and key insertion. No VS Code needed.
import * as assert from 'node:assert/strict';
import { parseYamlSource } from '../../src/core/load/yamlSource';
import { parse } from 'yaml';
import { completionContextAt, mergeFieldPrefixAt, nodeAt } from '../../src/core/load/documentQueries';
import { descriptionAt, placeholderFor, propertiesAt, valueSuggestionsAt } from '../../src/extension/language/schemaWalk';
import { insertKey } from '../../src/core/load/documentQueries';

/** Splits "text with | as cursor" into the text and the cursor offset. */
function cursor(withBar: string): { text: string; offset: number } {
  const offset = withBar.indexOf('|');
  return { text: withBar.slice(0, offset) + withBar.slice(offset + 1), offset };
}

describe('extension language helpers', () => {
  describe('completionContextAt', () => {
    it('finds a root key being typed', () => {
      const { text, offset } = cursor('version: 1\nna|\nsubject: hi\n');
      const context = completionContextAt(text, offset);
      assert.deepEqual(context, { kind: 'key', path: [], siblings: ['version', 'subject'], replace: [11, 13] });
    });

    it('finds a key under an empty mapping key', () => {
      const { text, offset } = cursor('version: 1\nsending:\n  |\nname: x\n');
      const context = completionContextAt(text, offset);
      assert.equal(context?.kind, 'key');
      assert.deepEqual(context?.path, ['sending']);
    });

    it('finds a key inside a sequence item', () => {
      const { text, offset } = cursor('targetList:\n  include:\n    - fi|\n');
      const context = completionContextAt(text, offset);
      assert.equal(context?.kind, 'key');
      assert.deepEqual(context?.path, ['targetList', 'include', 0]);
    });

    it('finds a value being typed', () => {
      const { text, offset } = cursor('sending:\n  transport: o|\n');
      const context = completionContextAt(text, offset);
      assert.deepEqual(context, { kind: 'value', path: ['sending', 'transport'], replace: [offset - 1, offset] });
    });

    it('offers nothing inside a comment', () => {
      const { text, offset } = cursor('# sen|\n');
      assert.equal(completionContextAt(text, offset), undefined);
    });
  });

  describe('nodeAt', () => {
    it('tells a key from a value', () => {
      const text = 'sending:\n  transport: smtp\n';
      assert.deepEqual(nodeAt(parseYamlSource(text).root, text.indexOf('transport') + 2), { path: ['sending', 'transport'], onKey: true, range: [11, 20] });
      assert.equal(nodeAt(parseYamlSource(text).root, text.indexOf('smtp') + 1)?.onKey, false);
    });
  });

  describe('schema look-ups', () => {
    it('lists root properties with the required ones first', () => {
      const names = propertiesAt([]).map((p) => p.name);
      assert.deepEqual(names.slice(0, 6).sort(), ['content', 'from', 'name', 'subject', 'targetList', 'version']);
      assert.ok(names.includes('unsubscribe'));
    });

    it('follows $ref and oneOf into a target-list source', () => {
      const names = propertiesAt(['targetList', 'include', 0]).map((p) => p.name);
      assert.deepEqual(names.sort(), ['email', 'file']);
      assert.match(descriptionAt(['targetList', 'include', 0, 'file']) ?? '', /CSV file/);
    });

    it('proposes enum values and examples', () => {
      assert.deepEqual(valueSuggestionsAt(['sending', 'transport']).map((s) => s.value), ['outbox', 'smtp']);
      assert.equal(placeholderFor(['version']), 1);
      assert.deepEqual(placeholderFor(['test']), { recipients: ['me@acme.example'] });
      assert.deepEqual(placeholderFor(['unsubscribe']), { url: 'https://acme.example/u?e={{email}}', mailto: 'unsubscribe@acme.example' });
    });
  });

  describe('insertKey', () => {
    function apply(text: string, insertion: { offset: number; text: string } | undefined): string {
      assert.ok(insertion);
      return text.slice(0, insertion.offset) + insertion.text + text.slice(insertion.offset);
    }

    it('appends a root key at the end of the root mapping', () => {
      const text = 'version: 1\nname: x\n';
      assert.equal(apply(text, insertKey(text, parseYamlSource(text), [], 'subject', 'Hello')), 'version: 1\nname: x\nsubject: Hello\n');
    });

    it('adds a key to a nested mapping with its indentation', () => {
      const text = 'sending:\n    transport: smtp\nname: x\n';
      const result = apply(text, insertKey(text, parseYamlSource(text), ['sending'], 'rate', '600/minute'));
      assert.equal(result, 'sending:\n    transport: smtp\n    rate: 600/minute\nname: x\n');
      assert.deepEqual(parse(result), { sending: { transport: 'smtp', rate: '600/minute' }, name: 'x' });
    });

    it('creates the missing parent mapping', () => {
      const text = 'name: x\n';
      const result = apply(text, insertKey(text, parseYamlSource(text), ['unsubscribe'], 'url', 'https://acme.example/u?e={{email}}'));
      assert.deepEqual(parse(result), { name: 'x', unsubscribe: { url: 'https://acme.example/u?e={{email}}' } });
    });

    it('fills an empty mapping key', () => {
      const text = 'unsubscribe:\nname: x\n';
      const result = apply(text, insertKey(text, parseYamlSource(text), ['unsubscribe'], 'url', 'https://a.example/u'));
      assert.deepEqual(parse(result), { unsubscribe: { url: 'https://a.example/u' }, name: 'x' });
    });

    it('handles a file without a final newline', () => {
      const text = 'name: x';
      assert.deepEqual(parse(apply(text, insertKey(text, parseYamlSource(text), [], 'subject', 'Hi'))), { name: 'x', subject: 'Hi' });
    });
  });

  it('reads the merge field being typed', () => {
    assert.equal(mergeFieldPrefixAt('subject: "{{fir'), 'fir');
    assert.equal(mergeFieldPrefixAt('subject: "{{'), '');
    assert.equal(mergeFieldPrefixAt('subject: "{{x}} and'), undefined);
  });
});
