// Turns ajv's errors into one clear, located `schema` diagnostic per problem. ajv reports a `oneOf`
// as every failing branch plus the oneOf itself; we pick the branch the writer meant (by the value's
// type, or by `file:` versus `email:`) and report only that branch's errors. Problems that a wizard-step
// check reports with its own code (a missing subject, an unreadable rate) are left to that check.
import type { ErrorObject } from 'ajv';
import type { Diagnostic, DiagnosticData, Range, Step } from '../types';
import type { SourceRanges } from './ranges';
import { validateAgainstSchema } from './schema';
import { cutValue, quoteValue } from '../checks/context';
import { closest } from './similar';
import { pathText, pointerSegments, type YamlPath } from './sourceNodes';

/** The step a top-level key belongs to, so a schema error marks that step incomplete. */
const STEP_OF_KEY: Record<string, Step> = {
  name: 'setup',
  from: 'setup',
  replyTo: 'setup',
  subject: 'setup',
  content: 'content',
  attachments: 'content',
  unsubscribe: 'content',
  targetList: 'targetList',
  test: 'test',
  schedule: 'schedule',
  timezone: 'schedule',
  sending: 'transport',
};

export function stepOfPath(path: YamlPath): Step {
  return (path.length > 0 && STEP_OF_KEY[String(path[0])]) || 'file';
}

/** Missing or empty values that a step check reports with its own code (name-missing, …). */
const CHECKED_ELSEWHERE_WHEN_EMPTY = new Set(['/name', '/subject', '/from', '/content', '/targetList', '/targetList/include', '/unsubscribe', '/test', '/test/recipients']);
const CHECKED_ELSEWHERE_REQUIRED = new Set(['/name', '/subject', '/from', '/content', '/targetList', '/targetList/include']);
const CHECKED_ELSEWHERE_KEYWORD = new Set(['/sending/rate pattern']);

export function schemaDiagnostics(value: unknown, ranges: SourceRanges): Diagnostic[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [rootNotMapping(value, ranges)];
  const errors = withoutOneOfNoise(validateAgainstSchema(value), value);
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const item of errors) {
    const diagnostic = 'diagnostic' in item ? item.diagnostic(ranges) : fromError(item.error, value, ranges);
    if (!diagnostic) continue;
    const key = `${diagnostic.range.start.line}:${diagnostic.range.start.column}:${diagnostic.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(diagnostic);
  }
  return diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column);
}

function rootNotMapping(value: unknown, ranges: SourceRanges): Diagnostic {
  const message =
    value === null
      ? 'The file holds no mailing: start with `version: 1`, then `name:`, `from:`, `subject:`, `content:` and `targetList:`'
      : `A mailing file is a mapping of keys (\`version: 1\`, \`name: …\`), not ${describeValue(value)}`;
  const range = value === null || !ranges.root ? ranges.rootRange() : ranges.firstLine(ranges.root);
  return { code: 'schema', severity: 'error', step: 'file', message, range };
}

type Item = { error: ErrorObject } | { diagnostic: (ranges: SourceRanges) => Diagnostic | undefined };

/** The branch of a oneOf the writer meant, or a message when no branch fits at all. */
type Choice = number | { message: string; on: 'value' | 'entry'; data?: DiagnosticData };

const CHOOSERS: Record<string, (value: unknown, path: string[]) => Choice> = {
  '#/definitions/address/oneOf': (value, path) => {
    if (typeof value === 'string') return 0;
    if (isMapping(value)) return 1;
    return { message: `\`${cutValue(pathText(path), 100)}\` must be an address: \`Name <address>\` or \`{ name, email }\`, not ${describeValue(value)}`, on: 'value' };
  },
  '#/definitions/targetSource/oneOf': (value) => {
    const entry = value as Record<string, unknown>;
    if ('file' in entry && 'email' in entry) return { message: 'An entry is either `file:` (a CSV file) or `email:` (a contact), not both', on: 'entry' };
    if ('file' in entry) return 0;
    if ('email' in entry) return 1;
    return { message: 'Each entry needs `file:` (a CSV file) or `email:` (a contact)', on: 'entry' };
  },
};

function withoutOneOfNoise(errors: ErrorObject[], root: unknown): Item[] {
  const items: Item[] = [];
  const dropped = new Set<ErrorObject>();
  for (const error of errors) {
    if (error.keyword !== 'oneOf' && error.keyword !== 'anyOf') continue;
    dropped.add(error);
    const prefix = `${error.schemaPath}/`;
    const branchErrors = errors.filter(
      (other) => other !== error && other.schemaPath.startsWith(prefix) && (other.instancePath === error.instancePath || other.instancePath.startsWith(`${error.instancePath}/`)),
    );
    const path = pointerSegments(error.instancePath);
    const chooser = CHOOSERS[error.schemaPath];
    const choice: Choice = chooser ? chooser(valueAt(root, path), path) : bestBranch(branchErrors, prefix);
    for (const other of branchErrors) {
      if (typeof choice !== 'number' || !other.schemaPath.startsWith(`${prefix}${choice}/`)) dropped.add(other);
    }
    if (typeof choice !== 'number') {
      items.push({
        diagnostic: (ranges) => ({
          code: 'schema',
          severity: 'error',
          step: stepOfPath(path),
          message: choice.message,
          range: choice.on === 'value' ? ranges.value(path) : ranges.key(path),
          ...(choice.data ? { data: choice.data } : {}),
        }),
      });
    }
  }
  for (const error of errors) if (!dropped.has(error)) items.push({ error });
  return items;
}

/** Without a chooser: the branch with the fewest errors (the one the value came closest to). */
function bestBranch(branchErrors: ErrorObject[], prefix: string): number {
  const counts = new Map<number, number>();
  for (const error of branchErrors) {
    const branch = Number(error.schemaPath.slice(prefix.length).split('/')[0]);
    counts.set(branch, (counts.get(branch) ?? 0) + 1);
  }
  let best = 0;
  let fewest = Infinity;
  for (const [branch, count] of counts) {
    if (count < fewest) {
      best = branch;
      fewest = count;
    }
  }
  return best;
}

function fromError(error: ErrorObject, root: unknown, ranges: SourceRanges): Diagnostic | undefined {
  const path = pointerSegments(error.instancePath);
  const value = valueAt(root, path);
  const where = cutValue(pathText(path), 100);
  const step = stepOfPath(path);
  const make = (message: string, range: Range, data?: DiagnosticData): Diagnostic => ({
    code: 'schema',
    severity: 'error',
    step,
    message,
    range,
    ...(data ? { data } : {}),
  });

  switch (error.keyword) {
    case 'required': {
      const missingKey = String((error.params as { missingProperty: string }).missingProperty);
      if (CHECKED_ELSEWHERE_REQUIRED.has(`${error.instancePath}/${missingKey}`)) return undefined;
      const keyPath = [...path, missingKey];
      const hint = missingKey === 'version' ? ': add `version: 1` at the top' : '';
      return {
        ...make(`\`${cutValue(pathText(keyPath), 100)}\` is missing${hint}`, ranges.missing(path), { missingKey, parentPath: path }),
        step: stepOfPath(keyPath),
      };
    }
    case 'additionalProperties': {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const keyPath = [...path, key];
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const suggestion = closest(key, allowed);
      const context = where ? ` in \`${where}\`` : '';
      let message = `Unknown key ${quoteValue(key)}${context}`;
      if (suggestion) message += `: did you mean \`${suggestion}\`?`;
      else if (error.schemaPath.startsWith('#/definitions/targetSource/oneOf/0/')) message += ': a `file:` entry only names a CSV file';
      else if (allowed.length > 0) message += ` (allowed: ${allowed.join(', ')})`;
      return { ...make(message, ranges.key(keyPath), suggestion ? { unknownKey: key, suggestion } : { unknownKey: key }), step: stepOfPath(keyPath) };
    }
    case 'type': {
      if (value === null && CHECKED_ELSEWHERE_WHEN_EMPTY.has(error.instancePath)) return undefined;
      const expected = ([] as string[]).concat((error.params as { type: string | string[] }).type);
      if (error.schemaPath === '#/definitions/targetSource/type') {
        const hint = typeof value === 'string' && /\.csv$/i.test(value.trim()) ? `: write \`- file: ${cutValue(value.trim())}\`` : typeof value === 'string' && value.includes('@') ? `: write \`- email: ${cutValue(value.trim())}\`` : '';
        return make(`Each target-list entry is \`file: <csv>\` or \`email: <address>\`, not ${describeValue(value)}${hint}`, ranges.value(path));
      }
      return make(`\`${where}\` must be ${expected.map(describeType).join(' or ')}, not ${describeValue(value)}`, ranges.value(path));
    }
    case 'enum': {
      const allowed = ((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      const suggestion = typeof value === 'string' ? closest(value, allowed) : undefined;
      const message = `\`${where}\` must be one of ${allowed.map((a) => `\`${a}\``).join(', ')}, not ${quoteValue(String(value))}${suggestion ? `: did you mean \`${suggestion}\`?` : ''}`;
      return make(message, ranges.value(path), suggestion ? { suggestion } : undefined);
    }
    case 'const':
      return make(`\`${where}\` must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`, ranges.value(path));
    case 'minimum':
    case 'exclusiveMinimum':
      return make(`\`${where}\` must be at least ${(error.params as { limit: number }).limit}`, ranges.value(path));
    case 'maximum':
    case 'exclusiveMaximum':
      return make(`\`${where}\` must be at most ${(error.params as { limit: number }).limit}`, ranges.value(path));
    case 'minLength':
      return make(`\`${where}\` must not be empty`, ranges.value(path));
    case 'pattern':
      if (CHECKED_ELSEWHERE_KEYWORD.has(`${error.instancePath} pattern`)) return undefined;
      return make(`\`${where}\` is not in the expected form`, ranges.value(path));
    case 'not':
      return undefined; // only used to tell the two kinds of target source apart: reported by the chooser
    default:
      return make(`\`${where || 'The mailing'}\` ${error.message ?? 'is not valid'}`, ranges.value(path));
  }
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(root: unknown, path: string[]): unknown {
  let node = root;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

function describeType(type: string): string {
  switch (type) {
    case 'string':
      return 'text';
    case 'integer':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'object':
      return 'a mapping (`key: value` lines)';
    case 'array':
      return 'a list';
    case 'null':
      return 'empty';
    default:
      return type;
  }
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return value.length > 40 ? 'text' : quoteValue(value);
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `\`${value}\``;
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}
