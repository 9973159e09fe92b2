import * as assert from 'node:assert/strict';
import { en } from '../fixtures/core/mailingFixture';
import { parse as parseYaml, parseDocument } from 'yaml';
import { readFastSequences } from '../../src/core/load/fastSequence';
import { LineIndex } from '../../src/core/load/lineIndex';
import { SourceRanges } from '../../src/core/load/ranges';
import { locate } from '../../src/core/load/sourceNodes';
import { parseYamlSource } from '../../src/core/load/yamlSource';
import type { Range } from '../../src/core/types';

function show(range: Range): string {
  return `${range.start.line + 1}:${range.start.column + 1}-${range.end.line + 1}:${range.end.column + 1}`;
}

describe('load: LineIndex', () => {
  it('maps offsets to 0-based lines and columns and back, CRLF included', () => {
    const lines = new LineIndex('ab\r\ncd\nef');
    assert.deepEqual(lines.positionAt(0), { line: 0, column: 0 });
    assert.deepEqual(lines.positionAt(4), { line: 1, column: 0 });
    assert.deepEqual(lines.positionAt(8), { line: 2, column: 1 });
    assert.equal(lines.lineEnd(0), 2);
    assert.equal(lines.offsetAt({ line: 1, column: 1 }), 5);
    assert.equal(show(lines.lineRange(0)), '1:1-1:3');
  });
});

describe('load: YAML with positions', () => {
  const text = `version: 1
from: { name: Shop, email: news@shop.example }
subject: "Hello"
content:
  html: |
    <p>x</p>
targetList:
  include:
    - file: a.csv
    - email: b@example.com
      firstName: B
empty:
`;

  it('gives plain data and a node for every path', () => {
    const source = parseYamlSource(text);
    assert.deepEqual(source.value, parseYaml(text));
    assert.deepEqual(source.diagnostics, []);
    const email = locate(source.root, ['targetList', 'include', 1, 'email']);
    assert.equal(text.slice(email.node!.start, email.node!.end), 'b@example.com');
    assert.equal(text.slice(email.entry!.keyStart!, email.entry!.keyEnd!), 'email');
    const html = locate(source.root, ['content', 'html']).node!;
    assert.equal(html.style, 'BLOCK_LITERAL');
    assert.equal(locate(source.root, ['subject']).node!.style, 'QUOTE_DOUBLE');
    assert.equal(locate(source.root, ['empty']).node, undefined);
    assert.ok(locate(source.root, ['empty']).entry);
  });

  it('ranges: a value on the value, an empty value on its key, a missing key on its parent key or line 1', () => {
    const source = parseYamlSource(text);
    const ranges = new SourceRanges(source.lines, source.root);
    assert.equal(show(ranges.value(['subject'])), '3:10-3:17');
    assert.equal(show(ranges.value(['empty'])), '12:1-12:6');
    assert.equal(show(ranges.key(['from', 'email'])), '2:21-2:26');
    assert.equal(show(ranges.missing(['targetList'])), '7:1-7:11');
    assert.equal(show(ranges.missing([])), '1:1-1:11');
    // A list item has no key: its first line stands in.
    assert.equal(show(ranges.missing(['targetList', 'include', 1])), '10:7-10:27');
    // A path that does not exist falls back to its nearest existing ancestor.
    assert.equal(show(ranges.value(['targetList', 'exclude', 0])), '7:1-7:11');
  });

  it('an alias is located where it is written, its contents at the anchor', () => {
    const aliased = 'version: 1\ncommon: &c { email: a@b.example }\nfrom: *c\n';
    const source = parseYamlSource(aliased);
    assert.deepEqual((source.value as { from: unknown }).from, { email: 'a@b.example' });
    const ranges = new SourceRanges(source.lines, source.root);
    assert.equal(show(ranges.value(['from'])), '3:7-3:9');
    assert.equal(show(ranges.value(['from', 'email'])), '2:21-2:32');
  });
});

/** A long inline list mixing every form the fast reader understands. */
function longList(count: number, newline = '\n'): string {
  const lines = ['version: 1', 'name: Long', 'targetList:', '  # contacts', '  include:'];
  for (let i = 0; i < count; i++) {
    switch (i % 6) {
      case 0:
        lines.push(`    - email: p${i}@example.com`, `      firstName: 'O''Brien ${i}'`, `      zip: 0${i}`, '', '      # note', `      vip: true # inline comment`);
        break;
      case 1:
        lines.push(`    - { email: "p${i}@example.com", age: ${i}.5, nothing: , tilde: ~, url: https://x.example/a#b }`);
        break;
      case 2:
        lines.push(`    -   email: p${i}@example.com`, `        first name: Ann: the first`.replace(': the', ' - the'), `        note: "a: b, c"`);
        break;
      case 3:
        lines.push(`    - email: p${i}@example.com`, `      empty:`, `      hex: 0x1F`, `      neg: -12`, `      float: 1e3`);
        break;
      case 4:
        lines.push(`    - {}`);
        break;
      default:
        lines.push(`    - email: p${i}@example.com`, `      city: "Den Haag"`, `      flag: False`, `      inf: .inf`, `      date: 2025-01-01`);
    }
  }
  lines.push('  exclude:', '    - email: p1@example.com', 'subject: "end"', '');
  return lines.join(newline);
}

describe('load: long inline lists (the fast reader)', () => {
  it('reads a long list exactly as the yaml package does, and uses the fast reader for it', () => {
    for (const newline of ['\n', '\r\n']) {
      const text = longList(300, newline);
      assert.equal(readFastSequences(text).length, 1);
      const source = parseYamlSource(text);
      assert.deepEqual(source.diagnostics, []);
      assert.deepEqual(source.value, parseYaml(text));
    }
  });

  it('locates keys and values inside the list, and what follows it', () => {
    const text = longList(300);
    const source = parseYamlSource(text);
    const slice = (start: number, end: number) => text.slice(start, end);
    const item = locate(source.root, ['targetList', 'include', 120, 'firstName']);
    assert.equal(slice(item.node!.start, item.node!.end), "'O''Brien 120'");
    assert.equal(item.node!.style, 'QUOTE_SINGLE');
    assert.equal(slice(item.entry!.keyStart!, item.entry!.keyEnd!), 'firstName');
    const flow = locate(source.root, ['targetList', 'include', 121, 'email']).node!;
    assert.equal(slice(flow.start, flow.end), '"p121@example.com"');
    assert.equal(locate(source.root, ['targetList', 'include', 123, 'empty']).node, undefined);
    const after = locate(source.root, ['subject']).node!;
    assert.equal(slice(after.start, after.end), '"end"');
    const exclude = locate(source.root, ['targetList', 'exclude', 0, 'email']).node!;
    assert.equal(slice(exclude.start, exclude.end), 'p1@example.com');
    // A key missing from an item is shown on the item's first line (here the whole `{}`).
    const ranges = new SourceRanges(source.lines, source.root);
    const missing = ranges.missing(['targetList', 'include', 124]);
    assert.equal(slice(source.lines.offsetAt(missing.start), source.lines.offsetAt(missing.end)), '{}');
  });

  it('leaves what it does not fully understand to the yaml package, with the same result', () => {
    const variants: [string, string][] = [
      ['an anchor', '      tag: &t x'],
      ['a tag', '      tag: !!str 12'],
      ['a block scalar', '      note: |\n        text'],
      ['a nested map', '      address:\n        city: Delft'],
      ['a multi-line plain scalar', '      note: one\n        two'],
      ['an escape', '      note: "a\\tb"'],
      ['a tab', '      note:\tx'],
    ];
    for (const [name, extra] of variants) {
      const base = longList(120);
      const text = base.replace('      vip: true # inline comment\n    - { email: "p61', `      vip: true # inline comment\n${extra}\n    - { email: "p61`);
      assert.notEqual(text, base, name);
      const source = parseYamlSource(text);
      let expected: unknown;
      try {
        expected = parseYaml(text);
      } catch {
        expected = undefined;
      }
      if (expected !== undefined) assert.deepEqual(source.value, expected, name);
      else assert.ok(source.diagnostics.length > 0, name);
    }
  });

  it('a duplicate key inside a long list is still a located yaml-syntax error', () => {
    const text = longList(120).replace('      zip: 060\n', '      zip: 060\n      zip: 61\n');
    const source = parseYamlSource(text);
    const [d] = source.diagnostics;
    assert.equal(d.code, 'yaml-syntax');
    assert.equal(en(d), 'Map keys must be unique');
    assert.equal(text.split('\n')[d.range.start.line], '      zip: 61');
  });

  it('does not mistake list-like lines inside a block scalar for a list', () => {
    const body = Array.from({ length: 100 }, (_, i) => `  - email: p${i}@example.com`).join('\n');
    const text = `version: 1\nnote: |\n  include:\n${body}\nname: x\n`;
    const source = parseYamlSource(text);
    assert.deepEqual(source.value, parseYaml(text));
  });
});

describe('load: the fast reader against the yaml package, on generated lists', () => {
  /** A small deterministic generator (mulberry32), so a failure can be reproduced. */
  function random(seed: number): () => number {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  /** Pieces that can start a plain scalar, pieces that can follow, and everything (for every 4th list). */
  const STARTS = ['a', 'Zoë', '1', '0', '.', '-1', 'true', 'null', '~', '0x1', '1e2', '.5', 'é', 'x y'];
  const INNER = [...STARTS, '-', '#', "'", '"', '//', '@', ' - ', 'a:b'];
  const ANY = [...INNER, ' ', ',', ':', '[', '{', '}', '?', '&', '*', '!', '|', '>', '%', ': ', ' #'];

  it('gives the same data (or reports the same kind of trouble) for 150 random lists', () => {
    let fast = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const next = random(seed);
      const wild = seed % 4 === 0;
      const pick = (pieces: string[]) => pieces[Math.floor(next() * pieces.length)];
      const scalar = () => {
        let text = pick(wild ? ANY : STARTS);
        const length = Math.floor(next() * 4);
        for (let i = 0; i < length; i++) text += pick(wild ? ANY : INNER);
        text = text.trim() || 'a';
        const style = next();
        if (style < 0.15) return `'${text.replace(/'/g, "''")}'`;
        if (style < 0.25) return `"${text.replace(/["\\]/g, '')}"`;
        return text;
      };
      const lines = ['version: 1', 'targetList:', '  include:'];
      for (let i = 0; i < 70; i++) {
        if (next() < 0.3) lines.push(`    - { email: ${scalar()}, k${i % 3}: ${scalar()} }`);
        else lines.push(`    - email: ${scalar()}`, `      k${i % 3}: ${scalar()}`);
      }
      lines.push('name: end', '');
      const text = lines.join('\n');
      if (readFastSequences(text).length > 0) fast++;
      const reference = parseDocument(text, { logLevel: 'error' });
      const source = parseYamlSource(text);
      if (reference.errors.length === 0) {
        assert.deepEqual(source.value, reference.toJS(), `seed ${seed}`);
        // Each located value reads back as that value.
        const items = (source.value as { targetList: { include: Record<string, unknown>[] } }).targetList.include;
        for (const index of [0, 33, 69]) {
          const node = locate(source.root, ['targetList', 'include', index, 'email']).node!;
          assert.deepEqual(parseYaml(`x: ${text.slice(node.start, node.end)}`).x, items[index].email, `seed ${seed}, item ${index}`);
        }
        assert.deepEqual(source.diagnostics.filter((d) => d.severity === 'error'), [], `seed ${seed}`);
      } else {
        assert.ok(source.diagnostics.some((d) => d.code === 'yaml-syntax' && d.severity === 'error'), `seed ${seed}`);
      }
    }
    // The comparison means something only if the fast reader took part.
    assert.ok(fast >= 50, `the fast reader read only ${fast} of 150 lists`);
  });
});
