// How the CLI writes facts: in the language of the command line (--lang, LC_ALL/LC_MESSAGES/LANG),
// locations as `file:line:column` relative to the working directory, the same in every command.
import * as path from 'node:path';
import { type Diagnostic, Formatter, type Lang, type RefusalArgs, renderDiagnostic, renderRefusal } from '../core/index';

/** The formatter of a command: moments in the mailing's zone (the machine's when there is none). */
export function formatterFor(lang: Lang, timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'): Formatter {
  return new Formatter(lang, { timezone, now: new Date() });
}

/** `file:line:column`, the file relative to the working directory. */
export function location(d: Diagnostic, mailingFile: string, cwd: string): string {
  const file = path.relative(cwd, d.file ?? mailingFile) || path.basename(mailingFile);
  return `${file}:${d.range.start.line + 1}:${d.range.start.column + 1}`;
}

/**
 * One diagnostic as every command prints it: `file:line:column: severity code: message`. The
 * severity word and the code stay English in every language, as a compiler's do: editors' problem
 * matchers and scripts read them; the message is in the user's language.
 */
export function diagnosticLine(d: Diagnostic, mailingFile: string, cwd: string, f: Formatter): string {
  return `${location(d, mailingFile, cwd)}: ${d.severity} ${d.code}: ${renderDiagnostic(d, f)}`;
}

/** A refused action in words, its listed errors located like diagnosticLine's. */
export function refusalText(refusal: RefusalArgs, mailingFile: string, cwd: string, f: Formatter): string {
  return renderRefusal(refusal, f, path.relative(cwd, mailingFile) || mailingFile, (d) => location(d, mailingFile, cwd));
}
