// A mailing written to a temp folder (YAML, HTML, CSV, images) and loaded as the confirm model loads
// it, for the Inbox checks' tests.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { FileCache } from '../../src/core/load/fileCache';
import { loadMailing, type LoadedMailing } from '../../src/core/load/loadMailing';
import { pathPolicy } from '../../src/core/load/pathPolicy';

export const BASE_YAML = [
  'version: 1',
  'name: November news',
  'from: Acme News <news@acme.example>',
  'subject: "Hello {{firstName}}"',
  'content:',
  '  html: news.html',
  'targetList:',
  '  include:',
  '    - file: people.csv',
  'unsubscribe:',
  '  url: https://acme.example/u?e={{email}}',
  'test:',
  '  recipients: [me@acme.example]',
].join('\n');

export const BASE_CSV = 'email,firstName,city\nann@example.test,Ann,Delft\nbob@example.test,Bob,Utrecht\n';

/** Writes `files` (name -> content) into `dir` and loads `news.mailing.yaml` (or `yaml` given) from there. */
export async function loadWith(dir: string, files: Record<string, string | Buffer>, options: { workspace?: string } = {}): Promise<LoadedMailing> {
  const all: Record<string, string | Buffer> = { 'news.mailing.yaml': BASE_YAML, 'people.csv': BASE_CSV, ...files };
  for (const [name, content] of Object.entries(all)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), content);
  }
  const file = path.join(dir, 'news.mailing.yaml');
  return loadMailing(file, String(all['news.mailing.yaml']), new FileCache().access(), pathPolicy(options.workspace ?? dir));
}

/** 0-based [line, column] of the first `needle` in `text` (after `after`, if given). */
export function positionOf(text: string, needle: string, after = ''): [number, number] {
  const from = after ? text.indexOf(after) : 0;
  const at = text.indexOf(needle, from);
  if (at < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  return [line, at - (before.lastIndexOf('\n') + 1)];
}
