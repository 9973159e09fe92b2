// Small shared pieces of facts: what a value from the file is ("a list", "the number 3"), and the
// words for the target list's counts, in both languages.
import type { Formatter } from './format';

/** A value of the mailing file as a message describes it. */
export type ValueKind =
  | { kind: 'empty' }
  | { kind: 'list' }
  | { kind: 'mapping' }
  | { kind: 'text'; text?: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean };

/** What a value of the file is, for a message (strings longer than a quote are just "text"). */
export function valueKind(value: unknown): ValueKind {
  if (value === null || value === undefined) return { kind: 'empty' };
  if (Array.isArray(value)) return { kind: 'list' };
  if (typeof value === 'string') return value.length > 40 ? { kind: 'text' } : { kind: 'text', text: value };
  if (typeof value === 'number') return { kind: 'number', value };
  if (typeof value === 'boolean') return { kind: 'boolean', value };
  if (typeof value === 'object') return { kind: 'mapping' };
  return { kind: 'text' };
}

export function describeValue(value: ValueKind, f: Formatter): string {
  const nl = f.lang === 'nl';
  switch (value.kind) {
    case 'empty':
      return nl ? 'leeg' : 'empty';
    case 'list':
      return nl ? 'een lijst' : 'a list';
    case 'mapping':
      return nl ? 'een mapping' : 'a mapping';
    case 'text':
      return value.text !== undefined ? f.quote(value.text) : nl ? 'tekst' : 'text';
    case 'number':
      return nl ? `het getal ${value.value}` : `the number ${value.value}`;
    case 'boolean':
      return `\`${value.value}\``;
  }
}

/** JSON types the schema asks for. */
export type SchemaType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';

export function describeType(type: SchemaType, f: Formatter): string {
  const nl = f.lang === 'nl';
  switch (type) {
    case 'string':
      return nl ? 'tekst' : 'text';
    case 'integer':
      return nl ? 'een geheel getal' : 'a whole number';
    case 'number':
      return nl ? 'een getal' : 'a number';
    case 'boolean':
      return nl ? 'true of false' : 'true or false';
    case 'object':
      return nl ? 'een mapping (regels `sleutel: waarde`)' : 'a mapping (`key: value` lines)';
    case 'array':
      return nl ? 'een lijst' : 'a list';
    case 'null':
      return nl ? 'leeg' : 'empty';
  }
}

export interface SkippedArgs {
  excluded: number;
  invalid: number;
  duplicate: number;
}

/** "3 excluded, 1 invalid, 2 duplicate" / "3 uitgesloten, 1 ongeldig, 2 dubbel". */
export function describeSkipped(skipped: SkippedArgs, f: Formatter): string {
  return f.lang === 'nl'
    ? `${f.number(skipped.excluded)} uitgesloten, ${f.number(skipped.invalid)} ongeldig, ${f.number(skipped.duplicate)} dubbel`
    : `${f.number(skipped.excluded)} excluded, ${f.number(skipped.invalid)} invalid, ${f.number(skipped.duplicate)} duplicate`;
}
