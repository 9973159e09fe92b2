// Setup step: name, From, Reply-To, subject.
import { isValidEmail } from '../load/addresses';
import type { LoadedAddress } from '../load/loadMailing';
import type { YamlPath } from '../load/sourceNodes';
import type { Diagnostic } from '../types';
import { diagnostic, isBlank, type CheckContext } from './context';

/** Inboxes show about 60 characters of a subject; past this it is surely cut off. */
export const SUBJECT_MAX_LENGTH = 78;

export function checkSetup(ctx: CheckContext): Diagnostic[] {
  const { loaded } = ctx;
  const { data, ranges } = loaded;
  const found: Diagnostic[] = [];

  /** `key` is absent (reported on line 1) or empty (reported on it). */
  const missing = (key: string, code: 'name-missing' | 'subject-missing' | 'from-missing'): void => {
    const range = data[key] === undefined ? ranges.missing([]) : ranges.value([key]);
    found.push(diagnostic(code, 'error', 'setup', {}, range, { data: { missingKey: key, parentPath: [] } }));
  };

  if (isBlank(data.name)) missing('name', 'name-missing');

  if (isBlank(data.subject)) {
    missing('subject', 'subject-missing');
  } else if (typeof data.subject === 'string') {
    const subject = data.subject.trim();
    if (/[\r\n]/.test(subject)) {
      found.push(diagnostic('schema', 'error', 'setup', { kind: 'subject-multiline' }, ranges.value(['subject'])));
    } else if (subject.length > SUBJECT_MAX_LENGTH) {
      found.push(diagnostic('subject-too-long', 'warning', 'setup', { length: subject.length }, ranges.value(['subject'])));
    }
  }

  if (isBlank(data.from)) missing('from', 'from-missing');
  else if (loaded.from) found.push(...checkAddress(ctx, loaded.from, 'from-invalid'));

  if (loaded.replyTo) found.push(...checkAddress(ctx, loaded.replyTo, 'reply-to-invalid'));
  return found;
}

function checkAddress(ctx: CheckContext, loaded: LoadedAddress, code: 'from-invalid' | 'reply-to-invalid'): Diagnostic[] {
  const { ranges } = ctx.loaded;
  const parse = loaded.parse;
  // In the `{ name, email }` form the problem is the email value.
  const emailPath: YamlPath = ranges.node([...loaded.path, 'email']) ? [...loaded.path, 'email'] : loaded.path;
  if (!parse.ok) return [diagnostic(code, 'error', 'setup', parse.problem, ranges.value(emailPath))];
  const name = parse.address.name;
  if (code === 'from-invalid' && name && (isValidEmail(name.trim()) || name.includes('@'))) {
    return [diagnostic('from-name-is-address', 'warning', 'setup', { name, email: parse.address.email }, ranges.value(loaded.path))];
  }
  return [];
}
