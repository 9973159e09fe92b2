// The content step: the parts, referenced files, merge fields, attachments and unsubscribe targets.
import type { CodeEntry } from '../entry';
import type { Formatter } from '../format';

export type ContentMissingArgs = { kind: 'absent' } | { kind: 'empty-file'; file: string } | { kind: 'no-part' };

export type MergeSyntaxArgs =
  | { kind: 'unclosed'; written: string }
  | { kind: 'empty' }
  | { kind: 'braces'; written: string }
  | { kind: 'default'; written: string; reason: 'unquoted' | 'unclosed-quote' | 'after-quote' | 'missing' };

/** The last of the listed merge diagnostics of one text counts those not listed. */
export interface Unlisted {
  unlisted?: number;
}

function unlistedText(a: Unlisted, f: Formatter): string {
  if (!a.unlisted) return '';
  return f.lang === 'nl' ? ` (nog ${f.number(a.unlisted)} zoals deze in deze tekst worden niet getoond)` : ` (${f.number(a.unlisted)} more like it in this text are not listed)`;
}

/** Where the rows named by a message are: a CSV file with row numbers, or contacts by address. */
export interface RowsArgs {
  file?: string;
  rows?: number[];
  contacts?: string[];
}

function rowsText(places: RowsArgs[], f: Formatter): string {
  const parts = places.slice(0, 3).map((place) => {
    const contacts = place.contacts?.map((c) => `contact ${f.clip(c)}`) ?? [];
    const rows = place.file && place.rows ? [`${place.file} ${f.rows(place.rows)}`] : [];
    return [...rows, ...contacts].join('; ');
  });
  return parts.join('; ') + (places.length > 3 ? '; …' : '');
}

/** The file a `file-encoding` finding is in: a content file by its name, else the mailing file. */
export type FileEncodingArgs =
  | { kind: 'utf16'; file?: string }
  | { kind: 'not-utf8'; file?: string; more: number }
  | { kind: 'control'; file?: string; char: number; more: number };

const CONTROL_NAMES: Record<number, string> = { 0: 'NUL', 7: 'BEL', 8: 'backspace', 0x0b: 'vertical tab', 0x0c: 'form feed', 0x1b: 'ESC', 0x7f: 'DEL' };

function controlName(char: number): string {
  return `\\x${char.toString(16).padStart(2, '0')}${CONTROL_NAMES[char] ? ` (${CONTROL_NAMES[char]})` : ''}`;
}

/** Why a file exists but cannot be used. */
export type UnreadableArgs = { file: string; mailing?: true } & (
  | { reason: 'folder' }
  | { reason: 'permission' }
  | { reason: 'other'; detail?: string }
  | { reason: 'too-large'; size: number; max: number }
);

export const CONTENT_DIAGNOSTICS = {
  'content-missing': {
    step: 'content',
    severity: 'error',
    when: 'neither `html` nor `text`',
    minimum: true,
    en: (a: ContentMissingArgs, f: Formatter) =>
      a.kind === 'absent'
        ? 'Content is missing: add `content:` with `html:` and/or `text:`'
        : a.kind === 'empty-file'
          ? `Content is empty: ${f.clip(a.file)} holds no text`
          : 'Content has neither `html` nor `text`',
    nl: (a: ContentMissingArgs, f: Formatter) =>
      a.kind === 'absent'
        ? 'De inhoud ontbreekt: voeg `content:` toe met `html:` en/of `text:`'
        : a.kind === 'empty-file'
          ? `De inhoud is leeg: ${f.clip(a.file)} bevat geen tekst`
          : 'De inhoud heeft geen `html` en geen `text`',
  } satisfies CodeEntry<ContentMissingArgs>,
  'file-missing': {
    step: 'content',
    severity: 'error',
    when: 'a referenced file (content, attachment, CSV) does not exist',
    minimum: true,
    en: (a: { file: string; mailing?: true }, f: Formatter) => (a.mailing ? `The mailing file ${f.clip(a.file)} does not exist` : `File ${f.clip(a.file)} does not exist`),
    nl: (a: { file: string; mailing?: true }, f: Formatter) => (a.mailing ? `Het mailingbestand ${f.clip(a.file)} bestaat niet` : `Bestand ${f.clip(a.file)} bestaat niet`),
  } satisfies CodeEntry<{ file: string; mailing?: true }>,
  'file-unreadable': {
    step: 'content',
    severity: 'error',
    when: 'a referenced file exists but cannot be read (or the mailing file is over 20 MB)',
    en: (a: UnreadableArgs, f: Formatter) => {
      const what = a.mailing ? `The mailing file ${f.clip(a.file)}` : `File ${f.clip(a.file)}`;
      if (a.reason === 'folder') return `${what} is a folder, not a file`;
      if (a.reason === 'permission') return `${what} cannot be read (permission denied)`;
      if (a.reason === 'too-large') return `${what} is ${f.size(a.size)}, more than the ${f.limit(a.max)} a mailing file may be, so it is not read: put long recipient lists in a CSV file (\`- file: list.csv\`)`;
      return `${what} cannot be read (${a.detail ?? 'unknown error'})`;
    },
    nl: (a: UnreadableArgs, f: Formatter) => {
      const what = a.mailing ? `Het mailingbestand ${f.clip(a.file)}` : `Bestand ${f.clip(a.file)}`;
      if (a.reason === 'folder') return `${what} is een map, geen bestand`;
      if (a.reason === 'permission') return `${what} kan niet worden gelezen (geen toegang)`;
      if (a.reason === 'too-large') return `${what} is ${f.size(a.size)}, meer dan de ${f.limit(a.max)} die een mailingbestand mag zijn, en wordt daarom niet gelezen: zet lange lijsten ontvangers in een CSV-bestand (\`- file: lijst.csv\`)`;
      return `${what} kan niet worden gelezen (${a.detail ?? 'onbekende fout'})`;
    },
  } satisfies CodeEntry<UnreadableArgs>,
  'path-outside': {
    step: 'content',
    severity: 'error',
    when: 'a content, attachment or CSV path that leads outside the workspace (nothing is read from it)',
    en: (a: { file: string; workspace: string; leadsTo?: string }, f: Formatter) =>
      `File ${f.clip(a.file)} is outside the workspace ${a.workspace}${a.leadsTo ? ` (it leads to ${a.leadsTo})` : ''}: a mailing reads and sends only files of its workspace, the folder that holds its .mailings state; nothing was read from it`,
    nl: (a: { file: string; workspace: string; leadsTo?: string }, f: Formatter) =>
      `Bestand ${f.clip(a.file)} ligt buiten de werkmap ${a.workspace}${a.leadsTo ? ` (het verwijst naar ${a.leadsTo})` : ''}: een mailing leest en verzendt alleen bestanden uit haar werkmap, de map met haar .mailings-status; er is niets uit gelezen`,
  } satisfies CodeEntry<{ file: string; workspace: string; leadsTo?: string }>,
  'file-encoding': {
    step: 'content',
    severity: 'error',
    when: 'the mailing file or an HTML/text file holds bytes that are not UTF-8, or a control character (NUL …): at the first bad byte, at each control character',
    en: (a: FileEncodingArgs, f: Formatter) => {
      const name = a.file !== undefined ? `File ${f.clip(a.file)}` : 'The mailing file';
      switch (a.kind) {
        case 'utf16':
          return `${name} is UTF-16 text (or not text at all), so it is not read: save it as UTF-8`;
        case 'not-utf8':
          return `${name} is not UTF-8 text: the bytes here${a.more ? ` (and ${f.count(a.more, 'more place', 'more places')})` : ''} are not UTF-8 and would be sent as "\ufffd"; the file may be in Latin-1 or Windows-1252: save it as UTF-8`;
        case 'control':
          return `${name} holds the control character ${controlName(a.char)} here: it has no place in mail text; remove it${a.more ? `; ${f.count(a.more, 'more control character follows', 'more control characters follow')}` : ''}`;
      }
    },
    nl: (a: FileEncodingArgs, f: Formatter) => {
      const name = a.file !== undefined ? `Bestand ${f.clip(a.file)}` : 'Het mailingbestand';
      switch (a.kind) {
        case 'utf16':
          return `${name} is UTF-16-tekst (of helemaal geen tekst) en wordt daarom niet gelezen: sla het op als UTF-8`;
        case 'not-utf8':
          return `${name} is geen UTF-8-tekst: de bytes hier${a.more ? ` (en op ${f.count(a.more, 'andere plek', 'andere plekken')})` : ''} zijn geen UTF-8 en zouden als "\ufffd" worden verzonden; het bestand is misschien Latin-1 of Windows-1252: sla het op als UTF-8`;
        case 'control':
          return `${name} bevat hier het stuurteken ${controlName(a.char)}: dat hoort niet in de tekst van een mail; verwijder het${a.more ? `; er volgen nog ${f.count(a.more, 'stuurteken', 'stuurtekens')}` : ''}`;
      }
    },
  } satisfies CodeEntry<FileEncodingArgs>,
  'merge-field-unknown': {
    step: 'content',
    severity: 'error',
    when: '`{{x}}` where x is no field of the target list',
    minimum: true,
    en: (a: { field: string; fields: string[]; suggestion?: string } & Unlisted, f: Formatter) =>
      `{{${f.clip(a.field)}}} is not a field of the target list (fields: ${fieldList(a.fields, f)})${a.suggestion ? `: did you mean {{${f.clip(a.suggestion)}}}?` : ''}${unlistedText(a, f)}`,
    nl: (a: { field: string; fields: string[]; suggestion?: string } & Unlisted, f: Formatter) =>
      `{{${f.clip(a.field)}}} is geen veld van de doellijst (velden: ${fieldList(a.fields, f)})${a.suggestion ? `: bedoelt u {{${f.clip(a.suggestion)}}}?` : ''}${unlistedText(a, f)}`,
  } satisfies CodeEntry<{ field: string; fields: string[]; suggestion?: string } & Unlisted>,
  'merge-syntax': {
    step: 'content',
    severity: 'error',
    when: 'an unclosed or empty `{{`',
    minimum: true,
    en: (a: MergeSyntaxArgs & Unlisted, f: Formatter) => mergeSyntaxEn(a, f) + unlistedText(a, f),
    nl: (a: MergeSyntaxArgs & Unlisted, f: Formatter) => mergeSyntaxNl(a, f) + unlistedText(a, f),
  } satisfies CodeEntry<MergeSyntaxArgs & Unlisted>,
  'merge-link-unsafe': {
    step: 'content',
    severity: 'warning',
    when: 'a merge field at the start of a link or image address whose value is no http(s) or mailto URL for some rows (left out of their message)',
    en: (a: { field: string; count: number; places: RowsArgs[] }, f: Formatter) =>
      `{{${f.clip(a.field)}}} begins a link: for ${f.count(a.count, 'recipient', 'recipients')} its value is no http(s) or mailto address and is left out of their message (${rowsText(a.places, f)})`,
    nl: (a: { field: string; count: number; places: RowsArgs[] }, f: Formatter) =>
      `{{${f.clip(a.field)}}} begint een link: voor ${f.count(a.count, 'ontvanger', 'ontvangers')} is de waarde geen http(s)- of mailto-adres en blijft die uit hun bericht weg (${rowsText(a.places, f)})`,
  } satisfies CodeEntry<{ field: string; count: number; places: RowsArgs[] }>,
  'unsubscribe-missing': {
    step: 'content',
    severity: 'error',
    when: 'no `unsubscribe.url` or `unsubscribe.mailto`',
    minimum: true,
    en: () => 'Unsubscribe is missing: add `unsubscribe:` with a `url:` (https) and/or `mailto:`; bulk mail without it is refused by the big mailbox providers',
    nl: () => 'Afmelden ontbreekt: voeg `unsubscribe:` toe met een `url:` (https) en/of `mailto:`; de grote e-mailproviders weigeren bulkmail zonder afmeldlink',
  } satisfies CodeEntry<Record<string, never>>,
  'unsubscribe-invalid': {
    step: 'content',
    severity: 'error',
    when: 'the unsubscribe URL or address is malformed',
    en: (a: { kind: 'url' | 'mailto'; written: string }, f: Formatter) =>
      a.kind === 'url' ? `Unsubscribe URL ${f.quote(a.written)} is not a web address: write \`https://…\`` : `Unsubscribe mailto ${f.quote(a.written)} is not a valid address`,
    nl: (a: { kind: 'url' | 'mailto'; written: string }, f: Formatter) =>
      a.kind === 'url' ? `Afmeld-URL ${f.quote(a.written)} is geen webadres: schrijf \`https://…\`` : `Afmeld-mailto ${f.quote(a.written)} is geen geldig adres`,
  } satisfies CodeEntry<{ kind: 'url' | 'mailto'; written: string }>,
  'unsubscribe-not-https': {
    step: 'content',
    severity: 'warning',
    when: 'an http unsubscribe URL: no one-click unsubscribe',
    en: () => 'Unsubscribe URL is not https: mail clients offer one-click unsubscribe only for https URLs',
    nl: () => 'De afmeld-URL is geen https: e-mailprogramma’s bieden afmelden met één klik alleen voor https-URL’s',
  } satisfies CodeEntry<Record<string, never>>,
  'text-part-missing': {
    step: 'content',
    severity: 'info',
    when: 'only HTML: the text part will be derived from it',
    en: () => 'No text part: one is derived from the HTML (add `text:` to write it yourself)',
    nl: () => 'Geen tekstdeel: het wordt afgeleid van de HTML (voeg `text:` toe om het zelf te schrijven)',
  } satisfies CodeEntry<Record<string, never>>,
  'attachment-large': {
    step: 'content',
    severity: 'warning',
    when: 'attachments over 10 MB in all',
    en: (a: { size: number }, f: Formatter) => `Attachments total ${f.size(a.size)}: large mail is often refused or marked as spam; link to the files instead`,
    nl: (a: { size: number }, f: Formatter) => `De bijlagen zijn samen ${f.size(a.size)}: grote mail wordt vaak geweigerd of als spam gemarkeerd; verwijs liever met een link naar de bestanden`,
  } satisfies CodeEntry<{ size: number }>,
};

const DEFAULT_REASONS_EN: Record<Extract<MergeSyntaxArgs, { kind: 'default' }>['reason'], string> = {
  unquoted: 'the default after `|` must be in double quotes',
  'unclosed-quote': 'the default’s closing quote is missing',
  'after-quote': 'nothing may follow the quoted default',
  missing: 'a `|` needs a quoted default after it (or leave out the `|`)',
};

const DEFAULT_REASONS_NL: Record<Extract<MergeSyntaxArgs, { kind: 'default' }>['reason'], string> = {
  unquoted: 'de standaardwaarde na `|` moet tussen dubbele aanhalingstekens staan',
  'unclosed-quote': 'het afsluitende aanhalingsteken van de standaardwaarde ontbreekt',
  'after-quote': 'na de standaardwaarde tussen aanhalingstekens mag niets meer staan',
  missing: 'na een `|` hoort een standaardwaarde tussen aanhalingstekens (of laat de `|` weg)',
};

/** The first dozen fields, then an ellipsis: a header of a thousand columns stays one short line. */
export function fieldList(fields: readonly string[], f: Formatter): string {
  const shown = fields.slice(0, 12).map((field) => f.clip(field, 40));
  if (fields.length <= 12) return shown.join(', ');
  return f.lang === 'nl' ? `${shown.join(', ')}, … (${f.number(fields.length)} in totaal)` : `${shown.join(', ')}, … (${f.number(fields.length)} in all)`;
}

function mergeSyntaxEn(a: MergeSyntaxArgs, f: Formatter): string {
  switch (a.kind) {
    case 'unclosed':
      return `${f.quote(a.written)} is not closed: write \`{{field}}\``;
    case 'empty':
      return 'Empty merge field `{{}}`: write the name of a field, e.g. `{{firstName}}`';
    case 'braces':
      return `${f.quote(a.written)} is not a merge field: write \`{{field}}\` with two braces`;
    case 'default':
      return `${f.quote(a.written)}: ${DEFAULT_REASONS_EN[a.reason]}; write a default as \`{{field | "default"}}\``;
  }
}

function mergeSyntaxNl(a: MergeSyntaxArgs, f: Formatter): string {
  switch (a.kind) {
    case 'unclosed':
      return `${f.quote(a.written)} is niet afgesloten: schrijf \`{{veld}}\``;
    case 'empty':
      return 'Leeg samenvoegveld `{{}}`: schrijf de naam van een veld, bijvoorbeeld `{{firstName}}`';
    case 'braces':
      return `${f.quote(a.written)} is geen samenvoegveld: schrijf \`{{veld}}\` met twee accolades`;
    case 'default':
      return `${f.quote(a.written)}: ${DEFAULT_REASONS_NL[a.reason]}; schrijf een standaardwaarde als \`{{veld | "standaard"}}\``;
  }
}
