// `<mj-include path="…">` under the workspace's path policy (load/pathPolicy.ts). Before mjml reads
// anything, every include — and every include of an included MJML file — is resolved here as a
// mailing's own references are: a path that leads outside the workspace is refused (`path-outside`
// at the include, in the file that writes it) and nothing is read from it; a missing file is
// `file-missing` there. Only when every include passed does mjml follow them (compileMjml), resolving
// each exactly as here; an absolute path mjml would refuse on its own is reported here too.
import * as path from 'node:path';
import type { FileAccess, FileProblem } from '../fileCache';
import { LineIndex } from '../lineIndex';
import { resolveReference, type PathPolicy } from '../pathPolicy';
import type { Range } from '../../types';

export interface MjmlInclude {
  /** The file that writes the include (canonical), and where in it. */
  from: string;
  range: Range;
  /** As written in `path="…"`. */
  written: string;
  /** The included file (canonical), and the path mjml resolves it to (before links are followed). */
  file: string;
  mjmlPath: string;
  type: 'mjml' | 'css' | 'html';
  /** Its text, when it could be read. */
  text?: string;
  encoding?: { invalid: number[]; utf16?: boolean };
  problem?: FileProblem | { kind: 'absolute' };
}

/** How many files deep includes are followed (mjml refuses circles; this bounds a chain). */
const MAX_DEPTH = 16;

const INCLUDE = /<mj-include\b([^>]*)>/gi;
const ATTRIBUTE = /([a-zA-Z-]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

/** Comments blanked (same length, line breaks kept): an include inside a comment is no include. */
function withoutComments(text: string): string {
  return text.replace(/<!--[\s\S]*?-->/g, (comment) => comment.replace(/[^\n]/g, ' '));
}

/** mjml decodes a path until it stops changing (`%252e` is `.` too): the same here. */
function fullyDecoded(value: string): string {
  let result = value;
  for (let i = 0; i < 10; i++) {
    try {
      const decoded = decodeURIComponent(result);
      if (decoded === result) break;
      result = decoded;
    } catch {
      break;
    }
  }
  return result;
}

/**
 * Every include reachable from `text` (the MJML of `file`), in the order written, each resolved
 * under the policy and read through `files` when it may be.
 */
export async function scanMjmlIncludes(text: string, file: string, policy: PathPolicy, files: FileAccess): Promise<MjmlInclude[]> {
  const found: MjmlInclude[] = [];
  const visit = async (source: string, from: string, mjmlFrom: string, depth: number, chain: Set<string>) => {
    if (depth > MAX_DEPTH || !source.includes('<mj-include')) return;
    const lines = new LineIndex(source);
    const mine: MjmlInclude[] = [];
    for (const match of withoutComments(source).matchAll(INCLUDE)) {
      const attributes: Record<string, string> = {};
      for (const attribute of match[1].matchAll(ATTRIBUTE)) attributes[attribute[1].toLowerCase()] = attribute[3] ?? attribute[4];
      const written = attributes.path;
      if (written === undefined) continue;
      const type = attributes.type === 'css' || attributes.type === 'html' ? attributes.type : 'mjml';
      const range = lines.range(match.index, match.index + match[0].length);
      const decoded = fullyDecoded(written);
      const mjmlPath = path.resolve(path.dirname(mjmlFrom), decoded);
      const include: MjmlInclude = { from, range, written, file: mjmlPath, mjmlPath, type };
      mine.push(include);
      found.push(include);
      if (path.isAbsolute(decoded) || /^[a-zA-Z]:/.test(decoded) || decoded.startsWith('\\') || decoded.includes('\0')) {
        include.problem = { kind: 'absolute' };
        continue;
      }
      const resolved = resolveReference(policy, path.dirname(mjmlFrom), decoded);
      include.file = resolved.file;
      if (!resolved.ok) {
        include.problem = { kind: 'outside', workspace: resolved.root, ...(resolved.written !== resolved.file ? { leadsTo: resolved.file } : {}) };
        continue;
      }
      const read = await files.text(resolved.file);
      if (!read.ok) {
        include.problem = read.problem;
        continue;
      }
      include.text = read.value.text;
      include.encoding = { invalid: read.value.invalid, utf16: read.value.utf16 };
    }
    for (const include of mine) {
      if (include.type !== 'mjml' || include.text === undefined || chain.has(include.file)) continue;
      await visit(include.text, include.file, include.mjmlPath, depth + 1, new Set([...chain, include.file]));
    }
  };
  await visit(text, file, file, 0, new Set([file]));
  return found;
}
