// The one catalogue of diagnostics: every code, what it means, and its text in English and Dutch,
// built from typed args. A check returns `{code, args}`; every face renders it with renderDiagnostic
// (facts/render.ts). The README's codes table is generated from here (scripts/codes-table.mjs).
import type { CodeEntry } from '../entry';
import { CONTENT_DIAGNOSTICS } from './content';
import { FILE_DIAGNOSTICS } from './file';
import { INBOX_DIAGNOSTICS } from './inbox';
import { PACE_DIAGNOSTICS } from './pace';
import { SETUP_DIAGNOSTICS } from './setup';
import { STEP_DIAGNOSTICS } from './steps';
import { TARGET_LIST_DIAGNOSTICS } from './targetList';

export const DIAGNOSTIC_CATALOGUE = {
  ...FILE_DIAGNOSTICS,
  ...SETUP_DIAGNOSTICS,
  ...CONTENT_DIAGNOSTICS,
  ...INBOX_DIAGNOSTICS,
  ...TARGET_LIST_DIAGNOSTICS,
  ...STEP_DIAGNOSTICS,
  ...PACE_DIAGNOSTICS,
};

type Catalogue = typeof DIAGNOSTIC_CATALOGUE;

export type DiagnosticCode = keyof Catalogue;

/** The args of a code's text; codes whose text takes none have `{}`. */
type ArgsOf<T> = T extends { en: (args: infer A, ...rest: never[]) => string } ? (unknown extends A ? Record<string, never> : A) : never;

export type DiagnosticArgs = { [C in DiagnosticCode]: ArgsOf<Catalogue[C]> };

/** Every entry is a CodeEntry of its own args (checked here, once, for the whole catalogue). */
export const CATALOGUE_ENTRIES: { [C in DiagnosticCode]: CodeEntry<DiagnosticArgs[C]> } = DIAGNOSTIC_CATALOGUE;

export const DIAGNOSTIC_CODES = Object.keys(DIAGNOSTIC_CATALOGUE) as DiagnosticCode[];

export type { AddressProblemArgs, AddressRole } from './setup';
export type { ContentCompileArgs, ContentMissingArgs, FileEncodingArgs, MergeSyntaxArgs, MjmlInvalidArgs, RowsArgs } from './content';
export type { CsvEncodingArgs, CsvInvalidArgs, ExcludeMailingArgs, RecipientDuplicateArgs, RecipientInvalidArgs, TargetListEmptyArgs, ColumnMissingArgs } from './targetList';
export type { SchemaArgs, YamlSyntaxArgs } from './file';
export type { EmptyPlaceArgs, ImageLargeArgs, ImageMissingArgs, LinkBrokenArgs, LinkInvalidArgs, LinkLocalArgs, MergeValueEmptyArgs, MessageClippedArgs, SpamFailedArgs, SpamScoreArgs } from './inbox';
export type { AlreadySentArgs, RateProblemArgs, WhenProblemArgs } from './steps';
export { whenProblemText } from './steps';
export type { PerDomainProblemArgs, QuotaProblemArgs, RecipientTimezoneArgs, WindowProblemArgs, WindowTooShortArgs } from './pace';
