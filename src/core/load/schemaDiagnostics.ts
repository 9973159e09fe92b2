// Turns ajv's errors into one clear, located `schema` diagnostic per problem. ajv reports a `oneOf`
// as every failing branch plus the oneOf itself; we pick the branch the writer meant (by the value's
// type, or by `file:` versus `email:`) and report only that branch's errors. Problems that a wizard-step
// check reports with its own code (a missing subject, an unreadable rate) are left to that check.
import type { ErrorObject } from 'ajv';
import type { Diagnostic, DiagnosticData, Range, Step } from '../types';
import type { SourceRanges } from './ranges';
import { validateAgainstSchema } from './schema';
import type { SchemaArgs } from '../facts/diagnostics';
import { valueKind, type SchemaType } from '../facts/values';
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
    const key = `${diagnostic.range.start.line}:${diagnostic.range.start.column}:${JSON.stringify(diagnostic.args)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(diagnostic);
  }
  return diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column);
}

function rootNotMapping(value: unknown, ranges: SourceRanges): Diagnostic {
  const range = value === null || !ranges.root ? ranges.rootRange() : ranges.firstLine(ranges.root);
  return schemaDiagnostic('file', value === null ? { kind: 'root-empty' } : { kind: 'root-not-mapping', value: valueKind(value) }, range);
}

type Item = { error: ErrorObject } | { diagnostic: (ranges: SourceRanges) => Diagnostic | undefined };

/** The branch of a oneOf the writer meant, or a message when no branch fits at all. */
type Choice = number | { args: SchemaArgs; on: 'value' | 'entry'; data?: DiagnosticData };

const CHOOSERS: Record<string, (value: unknown, path: string[]) => Choice> = {
  '#/definitions/address/oneOf': (value, path) => {
    if (typeof value === 'string') return 0;
    if (isMapping(value)) return 1;
    return { args: { kind: 'address', where: pathText(path), value: valueKind(value) }, on: 'value' };
  },
  '#/definitions/targetSource/oneOf': (value) => {
    const entry = value as Record<string, unknown>;
    if ('file' in entry && 'email' in entry) return { args: { kind: 'entry-both' }, on: 'entry' };
    if ('file' in entry) return 0;
    if ('email' in entry) return 1;
    return { args: { kind: 'entry-neither' }, on: 'entry' };
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
        diagnostic: (ranges) => schemaDiagnostic(stepOfPath(path), choice.args, choice.on === 'value' ? ranges.value(path) : ranges.key(path), choice.data),
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
  const where = pathText(path);
  const step = stepOfPath(path);
  const make = (args: SchemaArgs, range: Range, data?: DiagnosticData): Diagnostic => schemaDiagnostic(step, args, range, data);

  switch (error.keyword) {
    case 'required': {
      const missingKey = String((error.params as { missingProperty: string }).missingProperty);
      if (CHECKED_ELSEWHERE_REQUIRED.has(`${error.instancePath}/${missingKey}`)) return undefined;
      const keyPath = [...path, missingKey];
      const args: SchemaArgs = { kind: 'missing', key: pathText(keyPath), ...(missingKey === 'version' ? { hint: 'version' as const } : {}) };
      return { ...make(args, ranges.missing(path), { missingKey, parentPath: path }), step: stepOfPath(keyPath) };
    }
    case 'additionalProperties': {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const keyPath = [...path, key];
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const suggestion = closest(key, allowed);
      const args: SchemaArgs = {
        kind: 'unknown-key',
        key,
        ...(where ? { where } : {}),
        ...(suggestion ? { suggestion } : {}),
        allowed: suggestion ? [] : allowed,
        ...(!suggestion && error.schemaPath.startsWith('#/definitions/targetSource/oneOf/0/') ? { fileEntry: true } : {}),
      };
      return { ...make(args, ranges.key(keyPath), suggestion ? { unknownKey: key, suggestion } : { unknownKey: key }), step: stepOfPath(keyPath) };
    }
    case 'type': {
      if (value === null && CHECKED_ELSEWHERE_WHEN_EMPTY.has(error.instancePath)) return undefined;
      const expected = ([] as SchemaType[]).concat((error.params as { type: SchemaType | SchemaType[] }).type);
      if (error.schemaPath === '#/definitions/targetSource/type') {
        const write = typeof value === 'string' && /\.csv$/i.test(value.trim()) ? `- file: ${value.trim()}` : typeof value === 'string' && value.includes('@') ? `- email: ${value.trim()}` : undefined;
        return make({ kind: 'target-entry', value: valueKind(value), ...(write ? { write } : {}) }, ranges.value(path));
      }
      return make({ kind: 'type', where, expected, value: valueKind(value) }, ranges.value(path));
    }
    case 'enum': {
      const allowed = ((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      const suggestion = typeof value === 'string' ? closest(value, allowed) : undefined;
      return make({ kind: 'enum', where, allowed, value: String(value), ...(suggestion ? { suggestion } : {}) }, ranges.value(path), suggestion ? { suggestion } : undefined);
    }
    case 'const':
      return make({ kind: 'const', where, allowed: JSON.stringify((error.params as { allowedValue: unknown }).allowedValue) }, ranges.value(path));
    case 'minimum':
    case 'exclusiveMinimum':
      return make({ kind: 'minimum', where, limit: (error.params as { limit: number }).limit }, ranges.value(path));
    case 'maximum':
    case 'exclusiveMaximum':
      return make({ kind: 'maximum', where, limit: (error.params as { limit: number }).limit }, ranges.value(path));
    case 'minLength':
      return make({ kind: 'empty', where }, ranges.value(path));
    case 'pattern':
      if (CHECKED_ELSEWHERE_KEYWORD.has(`${error.instancePath} pattern`)) return undefined;
      return make({ kind: 'pattern', where }, ranges.value(path));
    case 'not':
      return undefined; // only used to tell the two kinds of target source apart: reported by the chooser
    default:
      return make({ kind: 'other', ...(where ? { where } : {}), text: error.message ?? 'is not valid' }, ranges.value(path));
  }
}

function schemaDiagnostic(step: Step, args: SchemaArgs, range: Range, data?: DiagnosticData): Diagnostic {
  return { code: 'schema', args, severity: 'error', step, range, ...(data ? { data } : {}) };
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
