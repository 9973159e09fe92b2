// The shape of one entry of the catalogue: what a code means (for the README's table) and its text
// in each language, built from typed args with the one Formatter.
import type { Step } from '../types';
import type { Formatter } from './format';

export type Text<A> = (args: A, f: Formatter) => string;

export interface CodeEntry<A> {
  /** For the README's codes table: the step it is listed under, its severity, when it is given. */
  step: Step;
  severity: 'error' | 'warning' | 'info' | 'error / warning' | 'warning / error';
  when: string;
  /** In the minimum catalogue of confirm errors (the README's first table); the others are listed after it. */
  minimum?: true;
  en: Text<A>;
  nl: Text<A>;
}

/** A file named in the mailing that could not be used, and why. */
export type FileProblemArgs =
  | { kind: 'missing' }
  | { kind: 'folder' }
  | { kind: 'permission' }
  | { kind: 'unreadable'; detail: string }
  | { kind: 'outside'; workspace: string; leadsTo?: string };
