// Merge fields that are empty for some recipients: "Hi ," is what they would read. Counted over the
// recipients who will be mailed, with where the first of them are (CSV rows, inline contacts); a
// field whose every use has a default (`{{firstName | "reader"}}`) is never empty, and a use without
// one is where the finding points (the first such use).
import type { LoadedMailing } from '../load/loadMailing';
import { isEmptyValue, scanMergeFields } from '../load/mergeFields';
import type { Recipient } from '../types';
import type { EmptyValuePlace, InboxFinding, Located } from '../facts/inboxFindings';
import { mergeSources } from './mergeSources';

/** How many rows or contacts a place lists before "and N more". */
export const PLACES_SHOWN = 5;

/** The scan of each text (the HTML and text parts rarely change while the YAML is edited). */
const scans = new Map<string, ReturnType<typeof scanMergeFields>>();

function scanOf(text: string): ReturnType<typeof scanMergeFields> {
  let scan = scans.get(text);
  if (!scan) {
    if (scans.size >= 32) scans.clear();
    scan = scanMergeFields(text);
    scans.set(text, scan);
  }
  return scan;
}

export function findEmptyValues(loaded: LoadedMailing): InboxFinding[] {
  if (!loaded.fieldsKnown) return [];
  const known = new Set(loaded.targetList.fields);
  // The first use without a default of each field, in the order of the sources.
  const firstUse = new Map<string, Located>();
  const withDefault = new Set<string>();
  for (const source of mergeSources(loaded)) {
    for (const use of scanOf(source.text).uses) {
      if (!known.has(use.name)) continue; // merge-field-unknown says it
      if (use.default !== undefined) {
        withDefault.add(use.name);
        continue;
      }
      if (!firstUse.has(use.name)) firstUse.set(use.name, source.locate(use.start, use.end));
    }
  }
  if (firstUse.size === 0) return [];
  const recipients = loaded.targetList.recipients;
  const found: InboxFinding[] = [];
  for (const [field, at] of firstUse) {
    const { count, places } = emptyOf(loaded, field);
    if (count === 0) continue;
    found.push({ kind: 'merge-value-empty', ...at, field, count, total: recipients.length, places });
  }
  return found;
}

/**
 * Per list (by identity: a loaded list is read-only, and equal inputs give the same one,
 * load/targetList.ts) and field, who has no value: an edit of the subject or the content that uses
 * the same fields does not walk a 1M list again. The places depend on the same inputs as the list.
 */
const empties = new WeakMap<readonly Recipient[], Map<string, { count: number; places: EmptyValuePlace[] }>>();

function emptyOf(loaded: LoadedMailing, field: string): { count: number; places: EmptyValuePlace[] } {
  const recipients = loaded.targetList.recipients;
  let byField = empties.get(recipients);
  if (!byField) empties.set(recipients, (byField = new Map()));
  let known = byField.get(field);
  if (!known) {
    const empty = (recipient: Recipient) => isEmptyValue(recipient.fields[field]);
    let count = 0;
    for (const recipient of recipients) if (empty(recipient)) count++;
    known = { count, places: count === 0 ? [] : placesOf(loaded, empty) };
    byField.set(field, known);
  }
  return known;
}

/** Where the mailed recipients without a value are: each CSV with its first rows, the inline contacts. */
function placesOf(loaded: LoadedMailing, empty: (recipient: Recipient) => boolean): EmptyValuePlace[] {
  const mailed = new Set(loaded.targetList.recipients);
  const places: EmptyValuePlace[] = [];
  const contacts: string[] = [];
  let moreContacts = 0;
  for (const source of loaded.includes) {
    if (source.kind === 'inline') {
      // An inline contact is mailed unless it was skipped (its outcome).
      if (source.outcome === undefined && source.fields && empty({ email: source.fields.email ?? '', fields: source.fields })) {
        if (contacts.length < PLACES_SHOWN) contacts.push(source.fields.email ?? '');
        else moreContacts++;
      }
      continue;
    }
    const table = source.table;
    if (!table || !source.file) continue;
    const rows: number[] = [];
    let more = 0;
    for (let i = 0; i < table.recipients.length; i++) {
      const recipient = table.recipients[i];
      if (!mailed.has(recipient) || !empty(recipient)) continue;
      if (rows.length < PLACES_SHOWN) rows.push(table.lines[i]);
      else more++;
    }
    if (rows.length) places.push({ file: source.file, rows, more });
  }
  if (contacts.length) places.push({ contacts, more: moreContacts });
  return places;
}
