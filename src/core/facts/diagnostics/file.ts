// The file step: the YAML itself and the schema.
import type { CodeEntry } from '../entry';
import type { Formatter } from '../format';
import { describeType, describeValue, type SchemaType, type ValueKind } from '../values';

export type YamlSyntaxArgs =
  /** The yaml parser's own finding: its code (BAD_INDENT, DUPLICATE_KEY …) and its English words. */
  | { kind: 'parser'; problem: string; text: string }
  | { kind: 'unreadable'; text: string }
  | { kind: 'second-document' }
  | { kind: 'unknown-alias'; alias: string }
  | { kind: 'more'; count: number }
  | { kind: 'too-deep'; max: number; line: number };

export type SchemaArgs =
  | { kind: 'root-empty' }
  | { kind: 'root-not-mapping'; value: ValueKind }
  | { kind: 'missing'; key: string; hint?: 'version' }
  | { kind: 'unknown-key'; key: string; where?: string; suggestion?: string; allowed: string[]; fileEntry?: boolean }
  | { kind: 'type'; where: string; expected: SchemaType[]; value: ValueKind }
  | { kind: 'target-entry'; value: ValueKind; write?: string }
  | { kind: 'address'; where: string; value: ValueKind }
  | { kind: 'entry-both' }
  | { kind: 'entry-neither' }
  | { kind: 'enum'; where: string; allowed: string[]; value: string; suggestion?: string }
  | { kind: 'const'; where: string; allowed: string }
  | { kind: 'minimum' | 'maximum'; where: string; limit: number }
  | { kind: 'empty'; where: string }
  | { kind: 'pattern'; where: string }
  | { kind: 'other'; where?: string; text: string }
  | { kind: 'subject-multiline' }
  | { kind: 'bounce-address'; address: string };

/** Dutch for the yaml parser's findings; anything else keeps the parser's English words. */
const YAML_NL: Record<string, string> = {
  BAD_INDENT: 'De inspringing klopt niet',
  TAB_AS_INDENT: 'Een tab mag niet inspringen: gebruik spaties',
  DUPLICATE_KEY: 'Deze sleutel komt twee keer voor in dezelfde mapping',
  MISSING_CHAR: 'Hier ontbreekt een afsluitend teken (een aanhalingsteken of haakje)',
  BLOCK_AS_IMPLICIT_KEY: 'Een blok kan geen sleutel zijn',
  MULTILINE_IMPLICIT_KEY: 'Een sleutel moet op één regel staan',
  UNEXPECTED_TOKEN: 'Onverwacht teken',
  BAD_ALIAS: 'Ongeldige alias',
  ALIAS_PROPS: 'Een alias kan geen anker of tag hebben',
  BAD_SCALAR_START: 'Een waarde kan niet met dit teken beginnen: zet haar tussen aanhalingstekens',
  BLOCK_IN_FLOW: 'Een blok kan niet binnen [ ] of { } staan',
  BAD_DQ_ESCAPE: 'Ongeldige escape tussen dubbele aanhalingstekens',
  KEY_OVER_1024_CHARS: 'Een sleutel mag niet langer zijn dan 1024 tekens',
  MULTIPLE_ANCHORS: 'Een waarde kan maar één anker hebben',
  MULTIPLE_TAGS: 'Een waarde kan maar één tag hebben',
  TAG_RESOLVE_FAILED: 'Deze tag is onbekend',
  BAD_DIRECTIVE: 'Ongeldige directive',
  BAD_PROP_ORDER: 'Anker en tag staan in de verkeerde volgorde',
};

function schemaEn(a: SchemaArgs, f: Formatter): string {
  const q = (text: string) => f.quote(text);
  switch (a.kind) {
    case 'root-empty':
      return 'The file holds no mailing: start with `version: 1`, then `name:`, `from:`, `subject:`, `content:` and `targetList:`';
    case 'root-not-mapping':
      return `A mailing file is a mapping of keys (\`version: 1\`, \`name: …\`), not ${describeValue(a.value, f)}`;
    case 'missing':
      return `${q(a.key)} is missing${a.hint === 'version' ? ': add `version: 1` at the top' : ''}`;
    case 'unknown-key': {
      let text = `Unknown key ${q(a.key)}${a.where ? ` in ${q(a.where)}` : ''}`;
      if (a.suggestion) text += `: did you mean ${q(a.suggestion)}?`;
      else if (a.fileEntry) text += ': a `file:` entry only names a CSV file';
      else if (a.allowed.length > 0) text += ` (allowed: ${a.allowed.join(', ')})`;
      return text;
    }
    case 'type':
      return `${q(a.where)} must be ${a.expected.map((t) => describeType(t, f)).join(' or ')}, not ${describeValue(a.value, f)}`;
    case 'target-entry':
      return `Each target-list entry is \`file: <csv>\` or \`email: <address>\`, not ${describeValue(a.value, f)}${a.write ? `: write ${q(a.write)}` : ''}`;
    case 'address':
      return `${q(a.where)} must be an address: \`Name <address>\` or \`{ name, email }\`, not ${describeValue(a.value, f)}`;
    case 'entry-both':
      return 'An entry is either `file:` (a CSV file) or `email:` (a contact), not both';
    case 'entry-neither':
      return 'Each entry needs `file:` (a CSV file) or `email:` (a contact)';
    case 'enum':
      return `${q(a.where)} must be one of ${a.allowed.map(q).join(', ')}, not ${q(a.value)}${a.suggestion ? `: did you mean ${q(a.suggestion)}?` : ''}`;
    case 'const':
      return `${q(a.where)} must be ${a.allowed}`;
    case 'minimum':
      return `${q(a.where)} must be at least ${f.number(a.limit)}`;
    case 'maximum':
      return `${q(a.where)} must be at most ${f.number(a.limit)}`;
    case 'empty':
      return `${q(a.where)} must not be empty`;
    case 'pattern':
      return `${q(a.where)} is not in the expected form`;
    case 'other':
      return `${a.where ? q(a.where) : 'The mailing'} ${a.text}`;
    case 'subject-multiline':
      return 'Subject must be one line';
    case 'bounce-address':
      return `Bounce address ${q(a.address)} is not a valid address`;
  }
}

function schemaNl(a: SchemaArgs, f: Formatter): string {
  const q = (text: string) => f.quote(text);
  switch (a.kind) {
    case 'root-empty':
      return 'Het bestand bevat geen mailing: begin met `version: 1`, dan `name:`, `from:`, `subject:`, `content:` en `targetList:`';
    case 'root-not-mapping':
      return `Een mailingbestand is een mapping van sleutels (\`version: 1\`, \`name: …\`), geen ${describeValue(a.value, f)}`;
    case 'missing':
      return `${q(a.key)} ontbreekt${a.hint === 'version' ? ': zet `version: 1` bovenaan' : ''}`;
    case 'unknown-key': {
      let text = `Onbekende sleutel ${q(a.key)}${a.where ? ` in ${q(a.where)}` : ''}`;
      if (a.suggestion) text += `: bedoelt u ${q(a.suggestion)}?`;
      else if (a.fileEntry) text += ': een `file:`-regel noemt alleen een CSV-bestand';
      else if (a.allowed.length > 0) text += ` (toegestaan: ${a.allowed.join(', ')})`;
      return text;
    }
    case 'type':
      return `${q(a.where)} moet ${a.expected.map((t) => describeType(t, f)).join(' of ')} zijn, niet ${describeValue(a.value, f)}`;
    case 'target-entry':
      return `Elke regel van de doellijst is \`file: <csv>\` of \`email: <adres>\`, niet ${describeValue(a.value, f)}${a.write ? `: schrijf ${q(a.write)}` : ''}`;
    case 'address':
      return `${q(a.where)} moet een adres zijn: \`Naam <adres>\` of \`{ name, email }\`, niet ${describeValue(a.value, f)}`;
    case 'entry-both':
      return 'Een regel is `file:` (een CSV-bestand) of `email:` (een contact), niet allebei';
    case 'entry-neither':
      return 'Elke regel heeft `file:` (een CSV-bestand) of `email:` (een contact) nodig';
    case 'enum':
      return `${q(a.where)} moet een van ${a.allowed.map(q).join(', ')} zijn, niet ${q(a.value)}${a.suggestion ? `: bedoelt u ${q(a.suggestion)}?` : ''}`;
    case 'const':
      return `${q(a.where)} moet ${a.allowed} zijn`;
    case 'minimum':
      return `${q(a.where)} moet minstens ${f.number(a.limit)} zijn`;
    case 'maximum':
      return `${q(a.where)} mag hoogstens ${f.number(a.limit)} zijn`;
    case 'empty':
      return `${q(a.where)} mag niet leeg zijn`;
    case 'pattern':
      return `${q(a.where)} heeft niet de verwachte vorm`;
    case 'other':
      return `${a.where ? q(a.where) : 'De mailing'}: ${a.text}`;
    case 'subject-multiline':
      return 'Het onderwerp moet op één regel staan';
    case 'bounce-address':
      return `Bounce-adres ${q(a.address)} is geen geldig adres`;
  }
}

export const FILE_DIAGNOSTICS = {
  'yaml-syntax': {
    step: 'file',
    severity: 'error',
    when: 'the YAML does not parse (each parser error, located)',
    minimum: true,
    en: (a: YamlSyntaxArgs, f: Formatter) => {
      switch (a.kind) {
        case 'parser':
          return a.text;
        case 'unreadable':
          return `The YAML could not be read: ${a.text}`;
        case 'second-document':
          return 'A mailing file holds one YAML document: remove this `---` and what follows, or move it to a file of its own';
        case 'unknown-alias':
          return `Unknown alias *${a.alias}: define the anchor &${a.alias} before using it`;
        case 'more':
          return `${f.count(a.count, 'more YAML problem', 'more YAML problems')} from here on; fix the ones above first`;
        case 'too-deep':
          return `The YAML is nested more than ${f.number(a.max)} levels deep at line ${f.number(a.line)} (brackets or indentation), so the file is not read: a mailing needs only a few levels; look for brackets that are never closed`;
      }
    },
    nl: (a: YamlSyntaxArgs, f: Formatter) => {
      switch (a.kind) {
        case 'parser':
          return YAML_NL[a.problem] ?? `Ongeldige YAML: ${a.text}`;
        case 'unreadable':
          return `De YAML kan niet worden gelezen: ${a.text}`;
        case 'second-document':
          return 'Een mailingbestand bevat één YAML-document: verwijder deze `---` en wat erna komt, of zet het in een eigen bestand';
        case 'unknown-alias':
          return `Onbekende alias *${a.alias}: definieer het anker &${a.alias} voordat u het gebruikt`;
        case 'more':
          return `Nog ${f.count(a.count, 'YAML-probleem', 'YAML-problemen')} vanaf hier; los eerst de problemen hierboven op`;
        case 'too-deep':
          return `De YAML is op regel ${f.number(a.line)} meer dan ${f.number(a.max)} niveaus diep genest (haakjes of inspringing), dus het bestand wordt niet gelezen: een mailing heeft maar een paar niveaus nodig; zoek naar haakjes die nooit worden gesloten`;
      }
    },
  } satisfies CodeEntry<YamlSyntaxArgs>,
  schema: {
    step: 'file',
    severity: 'error',
    when: 'unknown key, wrong type, bad value (located at the key or value)',
    minimum: true,
    en: schemaEn,
    nl: schemaNl,
  } satisfies CodeEntry<SchemaArgs>,
};
