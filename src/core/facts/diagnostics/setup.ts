// The setup step: name, From, Reply-To, subject.
import type { CodeEntry } from '../entry';
import type { Formatter } from '../format';

/** Which address: From or Reply-To (the label the message uses). */
export type AddressRole = 'from' | 'replyTo';

/** Why an address could not be read (load/addresses.ts). */
export type AddressProblemArgs =
  | { kind: 'empty'; role: AddressRole }
  | { kind: 'not-an-address'; role: AddressRole; written: string }
  | { kind: 'unclosed'; role: AddressRole; written: string }
  | { kind: 'several'; role: AddressRole; written: string }
  | { kind: 'invalid'; role: AddressRole; email: string }
  | { kind: 'no-email'; role: AddressRole };

function roleName(role: AddressRole, f: Formatter): string {
  return role === 'from' ? (f.lang === 'nl' ? 'Van' : 'From') : 'Reply-To';
}

function addressProblemEn(a: AddressProblemArgs, f: Formatter): string {
  const label = roleName(a.role, f);
  switch (a.kind) {
    case 'empty':
      return `${label} is empty`;
    case 'not-an-address':
      return `${label} ${f.quote(a.written)} is not an address: write \`Name <address>\``;
    case 'unclosed':
      return `${label} ${f.quote(a.written)} has no closing \`>\``;
    case 'several':
      return `${label} must be one address, not ${f.quote(a.written)}`;
    case 'invalid':
      return `${label} ${f.quote(a.email)} is not a valid address`;
    case 'no-email':
      return `${label} has no \`email\``;
  }
}

function addressProblemNl(a: AddressProblemArgs, f: Formatter): string {
  const label = roleName(a.role, f);
  switch (a.kind) {
    case 'empty':
      return `${label} is leeg`;
    case 'not-an-address':
      return `${label} ${f.quote(a.written)} is geen adres: schrijf \`Naam <adres>\``;
    case 'unclosed':
      return `${label} ${f.quote(a.written)} mist de afsluitende \`>\``;
    case 'several':
      return `${label} moet één adres zijn, niet ${f.quote(a.written)}`;
    case 'invalid':
      return `${label} ${f.quote(a.email)} is geen geldig adres`;
    case 'no-email':
      return `${label} heeft geen \`email\``;
  }
}

export const SETUP_DIAGNOSTICS = {
  'name-missing': {
    step: 'setup',
    severity: 'error',
    when: 'no `name`',
    minimum: true,
    en: () => 'Name is missing: give the mailing a name (recipients do not see it)',
    nl: () => 'De naam ontbreekt: geef de mailing een naam (ontvangers zien die niet)',
  } satisfies CodeEntry<Record<string, never>>,
  'subject-missing': {
    step: 'setup',
    severity: 'error',
    when: 'no or empty `subject`',
    minimum: true,
    en: () => 'Subject is missing',
    nl: () => 'Het onderwerp ontbreekt',
  } satisfies CodeEntry<Record<string, never>>,
  'from-missing': {
    step: 'setup',
    severity: 'error',
    when: 'no `from`',
    minimum: true,
    en: () => 'From is missing: who sends the mailing, e.g. `Acme News <news@acme.example>`',
    nl: () => 'Van ontbreekt: wie verstuurt de mailing, bijvoorbeeld `Acme Nieuws <nieuws@acme.example>`',
  } satisfies CodeEntry<Record<string, never>>,
  'from-invalid': {
    step: 'setup',
    severity: 'error',
    when: '`from` is not a valid address',
    minimum: true,
    en: addressProblemEn,
    nl: addressProblemNl,
  } satisfies CodeEntry<AddressProblemArgs>,
  'from-name-is-address': {
    step: 'setup',
    severity: 'warning',
    when: 'the From display name is itself an address',
    minimum: true,
    en: (a: { name: string; email: string }, f: Formatter) =>
      `The From name ${f.quote(a.name)} is an address: use a name people recognise, e.g. \`Acme News <${f.clip(a.email)}>\` (spam filters distrust this)`,
    nl: (a: { name: string; email: string }, f: Formatter) =>
      `De Van-naam ${f.quote(a.name)} is een adres: gebruik een naam die mensen herkennen, bijvoorbeeld \`Acme Nieuws <${f.clip(a.email)}>\` (spamfilters wantrouwen dit)`,
  } satisfies CodeEntry<{ name: string; email: string }>,
  'reply-to-invalid': {
    step: 'setup',
    severity: 'error',
    when: '`replyTo` is not a valid address',
    minimum: true,
    en: addressProblemEn,
    nl: addressProblemNl,
  } satisfies CodeEntry<AddressProblemArgs>,
  'subject-too-long': {
    step: 'setup',
    severity: 'warning',
    when: 'a subject over 78 characters',
    en: (a: { length: number }, f: Formatter) => `Subject is ${f.count(a.length, 'character', 'characters')}; inboxes show about 60: put what matters first`,
    nl: (a: { length: number }, f: Formatter) => `Het onderwerp is ${f.count(a.length, 'teken', 'tekens')} lang; postvakken tonen er ongeveer 60: zet het belangrijkste vooraan`,
  } satisfies CodeEntry<{ length: number }>,
};
