// The Inbox step (nl: Postvak IN): the message as the inboxes will see it — links and images, local
// images, clipping, client support, empty merge values, the sender, and the slow checks run on
// demand (the spam score, link reachability).
import type { CodeEntry } from '../entry';
import type { Formatter } from '../format';

/** A URL of a link or an image, as written (trimmed). */
interface UrlArgs {
  url: string;
  /** An image address (src, srcset, background, CSS url()) rather than a link. */
  image: boolean;
}

export type LinkInvalidArgs =
  /** Nothing written: `<a href="">`, `<img src="">`, an `<img>` without `src`. */
  | { reason: 'empty'; element: string; attribute: string }
  | (UrlArgs & { reason: 'unparseable' | 'no-host' | 'no-scheme' });

export type LinkLocalArgs = UrlArgs & ({ reason: 'localhost' | 'loopback' | 'private' | 'link-local'; host: string } | { reason: 'file' | 'relative' });

export type ImageMissingArgs = { src: string } & ({ reason: 'missing' } | { reason: 'folder' } | { reason: 'unreadable'; detail: string });

export type ImageLargeArgs = { kind: 'one'; src: string; size: number; limit: number } | { kind: 'all'; count: number; size: number; limit: number };

export interface MessageClippedArgs {
  size: number;
  limit: number;
  /** Who gets the largest message, and the CSV file (its name) and row they are on. */
  email?: string;
  file?: string;
  row?: number;
  /** The unsubscribe link lies beyond the limit. */
  unsubscribeHidden: boolean;
}

/** Where the recipients without a value are: a CSV file (its name) with its first rows, or contacts by address. */
export type EmptyPlaceArgs = { file: string; rows: number[]; more: number } | { contacts: string[]; more: number };

export interface MergeValueEmptyArgs {
  field: string;
  count: number;
  total: number;
  places: EmptyPlaceArgs[];
}

export interface SpamScoreArgs {
  score: number;
  /** The threshold passed, and which of the two (`checks.spam.warning` or `checks.spam.error`). */
  threshold: number;
  key: 'warning' | 'error';
  /** Who the scored message is for (the first recipient). */
  email: string;
  /** The rules that fired, with their points (as SpamAssassin names them). */
  rules: { name: string; points: number }[];
}

export type SpamFailedArgs = { kind: 'timeout'; seconds: number } | { kind: 'error'; message: string };

export type LinkBrokenArgs = UrlArgs & ({ kind: 'status'; status: number } | { kind: 'timeout'; seconds: number } | { kind: 'network'; code: string });

const what = (a: { image: boolean }, f: Formatter) => (f.lang === 'nl' ? (a.image ? 'Afbeeldingsadres' : 'Link') : a.image ? 'Image address' : 'Link');

function linkInvalidEn(a: LinkInvalidArgs, f: Formatter): string {
  switch (a.reason) {
    case 'empty':
      return `Empty address: \`<${a.element} ${a.attribute}="">\` leads nowhere in an inbox; write the full address (https://…)`;
    case 'unparseable':
      return `${what(a, f)} ${f.quote(a.url)} is not a URL: write it in full, such as https://example.com/page`;
    case 'no-host':
      return `${what(a, f)} ${f.quote(a.url)} has no host name: write https://host/path`;
    case 'no-scheme':
      return `${what(a, f)} ${f.quote(a.url)} has no scheme: an inbox has no page to take it from; write https:${f.clip(a.url)}`;
  }
}

function linkInvalidNl(a: LinkInvalidArgs, f: Formatter): string {
  switch (a.reason) {
    case 'empty':
      return `Leeg adres: \`<${a.element} ${a.attribute}="">\` leidt in een inbox nergens heen; schrijf het volledige adres (https://…)`;
    case 'unparseable':
      return `${what(a, f)} ${f.quote(a.url)} is geen URL: schrijf het volledig, zoals https://example.com/pagina`;
    case 'no-host':
      return `${what(a, f)} ${f.quote(a.url)} heeft geen hostnaam: schrijf https://host/pad`;
    case 'no-scheme':
      return `${what(a, f)} ${f.quote(a.url)} heeft geen schema: een inbox heeft geen pagina om het van over te nemen; schrijf https:${f.clip(a.url)}`;
  }
}

function linkLocalEn(a: LinkLocalArgs, f: Formatter): string {
  const start = `${what(a, f)} ${f.quote(a.url)}`;
  const remedy = 'recipients cannot reach it: put it on a public web server and write its https:// address';
  switch (a.reason) {
    case 'localhost':
      return `${start} points to ${f.clip(a.host)}, a name only your own machine or network knows: ${remedy}`;
    case 'loopback':
      return `${start} points to ${f.clip(a.host)}, your own machine: ${remedy}`;
    case 'private':
      return `${start} points to ${f.clip(a.host)}, an address of a private network: ${remedy}`;
    case 'link-local':
      return `${start} points to ${f.clip(a.host)}, a link-local address: ${remedy}`;
    case 'file':
      return `${start} is a file on your machine: ${remedy}`;
    case 'relative':
      return a.image
        ? `${start} is a path relative to the file: only an \`<img src>\` is embedded in the message, so here it leads nowhere; write its https:// address`
        : `${start} is a path relative to the file: in an inbox it leads nowhere; write the full https:// address`;
  }
}

function linkLocalNl(a: LinkLocalArgs, f: Formatter): string {
  const start = `${what(a, f)} ${f.quote(a.url)}`;
  const remedy = 'ontvangers kunnen het niet bereiken: zet het op een openbare webserver en schrijf het https://-adres';
  switch (a.reason) {
    case 'localhost':
      return `${start} verwijst naar ${f.clip(a.host)}, een naam die alleen uw eigen computer of netwerk kent: ${remedy}`;
    case 'loopback':
      return `${start} verwijst naar ${f.clip(a.host)}, uw eigen computer: ${remedy}`;
    case 'private':
      return `${start} verwijst naar ${f.clip(a.host)}, een adres van een privénetwerk: ${remedy}`;
    case 'link-local':
      return `${start} verwijst naar ${f.clip(a.host)}, een link-local-adres: ${remedy}`;
    case 'file':
      return `${start} is een bestand op uw computer: ${remedy}`;
    case 'relative':
      return a.image
        ? `${start} is een pad ten opzichte van het bestand: alleen een \`<img src>\` wordt in het bericht ingesloten, dus hier leidt het nergens heen; schrijf het https://-adres`
        : `${start} is een pad ten opzichte van het bestand: in een inbox leidt het nergens heen; schrijf het volledige https://-adres`;
  }
}

function placesText(places: EmptyPlaceArgs[], f: Formatter): string {
  const nl = f.lang === 'nl';
  const more = (n: number) => (n ? (nl ? ` en nog ${f.number(n)}` : ` and ${f.number(n)} more`) : '');
  return places
    .map((place) =>
      'file' in place
        ? `${f.clip(place.file)} ${f.rows(place.rows)}${more(place.more)}`
        : `${nl ? (place.contacts.length + place.more === 1 ? 'contact' : 'contacten') : place.contacts.length + place.more === 1 ? 'contact' : 'contacts'} ${place.contacts.map((c) => f.clip(c)).join(', ')}${more(place.more)}`,
    )
    .join('; ');
}

function spamRules(rules: SpamScoreArgs['rules'], f: Formatter): string {
  // The rules that added points, most first: what to change.
  const shown = rules
    .filter((rule) => rule.points > 0)
    .sort((a, b) => b.points - a.points)
    .slice(0, 8)
    .map((rule) => `${f.clip(rule.name)} (${f.decimal(rule.points)})`);
  return shown.join(', ');
}

function whoClipped(a: MessageClippedArgs, f: Formatter): string {
  if (!a.email) return '';
  const where = a.file && a.row !== undefined ? ` (${f.clip(a.file)} ${f.rows([a.row])})` : '';
  return f.lang === 'nl' ? ` voor ${f.clip(a.email)}${where}` : ` for ${f.clip(a.email)}${where}`;
}

export const INBOX_DIAGNOSTICS = {
  'link-invalid': {
    step: 'inbox',
    severity: 'error',
    when: 'an `href` (or image address) that does not parse as a URL, or an empty one',
    en: linkInvalidEn,
    nl: linkInvalidNl,
  } satisfies CodeEntry<LinkInvalidArgs>,
  'link-local': {
    step: 'inbox',
    severity: 'error',
    when: 'a link or image to `localhost`, a loopback or private address, `file:` or a path relative to the file (it cannot work in an inbox; a local `<img src>` is embedded instead)',
    en: linkLocalEn,
    nl: linkLocalNl,
  } satisfies CodeEntry<LinkLocalArgs>,
  'link-insecure': {
    step: 'inbox',
    severity: 'warning',
    when: 'an `http:` link or image',
    en: (a: UrlArgs, f: Formatter) =>
      a.image
        ? `Image ${f.quote(a.url)} is fetched over http: many clients block or flag images that are not encrypted; use https://`
        : `Link ${f.quote(a.url)} uses http: it travels unencrypted and clients may warn about it; use https://`,
    nl: (a: UrlArgs, f: Formatter) =>
      a.image
        ? `Afbeelding ${f.quote(a.url)} wordt via http opgehaald: veel e-mailprogramma’s blokkeren of markeren afbeeldingen die niet versleuteld zijn; gebruik https://`
        : `Link ${f.quote(a.url)} gebruikt http: hij gaat onversleuteld over het net en e-mailprogramma’s kunnen ervoor waarschuwen; gebruik https://`,
  } satisfies CodeEntry<UrlArgs>,
  'image-alt-missing': {
    step: 'inbox',
    severity: 'warning',
    when: 'an `<img>` without `alt` (`alt=""` is a deliberate choice and passes)',
    en: (a: { src: string }, f: Formatter) =>
      `Image ${f.quote(a.src)} has no \`alt\`: where images are blocked nothing shows in its place, and screen readers read out the file name; add \`alt="…"\`, or \`alt=""\` for a decorative image`,
    nl: (a: { src: string }, f: Formatter) =>
      `Afbeelding ${f.quote(a.src)} heeft geen \`alt\`: waar afbeeldingen geblokkeerd worden staat er niets op haar plaats, en schermlezers lezen de bestandsnaam voor; voeg \`alt="…"\` toe, of \`alt=""\` voor een decoratieve afbeelding`,
  } satisfies CodeEntry<{ src: string }>,
  'image-missing': {
    step: 'inbox',
    severity: 'error',
    when: 'a local image (embedded as a CID part of every message) whose file does not exist or cannot be read',
    en: (a: ImageMissingArgs, f: Formatter) => {
      const start = `Image ${f.quote(a.src)}`;
      const why = 'a local image is embedded in every message';
      if (a.reason === 'folder') return `${start} is a folder, not a file (${why})`;
      if (a.reason === 'unreadable') return `${start} cannot be read (${f.clip(a.detail)}); ${why}`;
      return `${start} does not exist: ${why}, relative to the HTML file`;
    },
    nl: (a: ImageMissingArgs, f: Formatter) => {
      const start = `Afbeelding ${f.quote(a.src)}`;
      const why = 'een lokale afbeelding wordt in elk bericht ingesloten';
      if (a.reason === 'folder') return `${start} is een map, geen bestand (${why})`;
      if (a.reason === 'unreadable') return `${start} kan niet worden gelezen (${f.clip(a.detail)}); ${why}`;
      return `${start} bestaat niet: ${why}, ten opzichte van het HTML-bestand`;
    },
  } satisfies CodeEntry<ImageMissingArgs>,
  'image-large': {
    step: 'inbox',
    severity: 'warning',
    when: 'an embedded image over 1 MB, or all embedded images together over 5 MB',
    en: (a: ImageLargeArgs, f: Formatter) =>
      a.kind === 'one'
        ? `Image ${f.quote(a.src)} is ${f.size(a.size)}, over ${f.limit(a.limit)}: it is embedded in every message, which makes each slow to load and more likely to be refused; make it smaller, or link to it on a web server`
        : `The ${f.count(a.count, 'embedded image', 'embedded images')} total ${f.size(a.size)}, over ${f.limit(a.limit)}: every message carries them all; make them smaller, or link to some on a web server`,
    nl: (a: ImageLargeArgs, f: Formatter) =>
      a.kind === 'one'
        ? `Afbeelding ${f.quote(a.src)} is ${f.size(a.size)}, meer dan ${f.limit(a.limit)}: ze wordt in elk bericht ingesloten, waardoor elk bericht traag laadt en eerder geweigerd wordt; maak haar kleiner, of verwijs ernaar op een webserver`
        : `De ${f.count(a.count, 'ingesloten afbeelding', 'ingesloten afbeeldingen')} zijn samen ${f.size(a.size)}, meer dan ${f.limit(a.limit)}: elk bericht bevat ze allemaal; maak ze kleiner, of verwijs naar een deel ervan op een webserver`,
  } satisfies CodeEntry<ImageLargeArgs>,
  'message-clipped': {
    step: 'inbox',
    severity: 'warning',
    when: 'the HTML of the largest recipient’s message is over Gmail’s 102 KB clipping limit (at the place it is cut; with its size, and whether the unsubscribe link is hidden)',
    en: (a: MessageClippedArgs, f: Formatter) =>
      `The HTML${whoClipped(a, f)} is ${f.size(a.size)}, over Gmail’s ${f.limit(a.limit)} limit: Gmail cuts the message here and hides the rest behind “View entire message”${a.unsubscribeHidden ? ', the unsubscribe link with it' : ''}; make the HTML smaller`,
    nl: (a: MessageClippedArgs, f: Formatter) =>
      `De HTML${whoClipped(a, f)} is ${f.size(a.size)}, meer dan de grens van ${f.limit(a.limit)} van Gmail: Gmail knipt het bericht hier af en verbergt de rest achter “Volledig bericht weergeven”${a.unsubscribeHidden ? ', de afmeldlink ook' : ''}; maak de HTML kleiner`,
  } satisfies CodeEntry<MessageClippedArgs>,
  'client-unsupported': {
    step: 'inbox',
    severity: 'warning',
    when: 'HTML or CSS that a chosen mail client does not support (caniemail’s data): one per feature and place, naming the clients; `checks.clients` chooses them (default Gmail, Outlook, Apple Mail, Yahoo)',
    en: (a: { feature: string; clients: string[]; url: string }, f: Formatter) => `${f.clip(a.feature)} is not supported by ${f.list(a.clients)}: see ${a.url}`,
    nl: (a: { feature: string; clients: string[]; url: string }, f: Formatter) => `${f.clip(a.feature)} wordt niet ondersteund door ${f.list(a.clients)}: zie ${a.url}`,
  } satisfies CodeEntry<{ feature: string; clients: string[]; url: string }>,
  'client-unknown': {
    step: 'inbox',
    severity: 'warning',
    when: 'a `checks.clients` entry that names no mail client caniemail knows (with the nearest name)',
    en: (a: { client: string; suggestion?: string }, f: Formatter) =>
      `${f.quote(a.client)} is no mail client caniemail knows${a.suggestion ? `: did you mean ${f.quote(a.suggestion)}?` : ''} (write a family such as Gmail, Outlook, Apple Mail or Yahoo, a client such as outlook.windows, or a pattern such as *.ios)`,
    nl: (a: { client: string; suggestion?: string }, f: Formatter) =>
      `${f.quote(a.client)} is geen e-mailprogramma dat caniemail kent${a.suggestion ? `: bedoelt u ${f.quote(a.suggestion)}?` : ''} (schrijf een familie zoals Gmail, Outlook, Apple Mail of Yahoo, een programma zoals outlook.windows, of een patroon zoals *.ios)`,
  } satisfies CodeEntry<{ client: string; suggestion?: string }>,
  'merge-value-empty': {
    step: 'inbox',
    severity: 'warning',
    when: 'a merge field that is empty for some recipients (how many, the first rows), at its first use without a default; `{{field | "default"}}` silences it',
    en: (a: MergeValueEmptyArgs, f: Formatter) =>
      `{{${f.clip(a.field)}}} is empty for ${f.number(a.count)} of the ${f.count(a.total, 'recipient', 'recipients')} (${placesText(a.places, f)}): they would read nothing here; fill in the values, or give a default: {{${f.clip(a.field)} | "…"}}`,
    nl: (a: MergeValueEmptyArgs, f: Formatter) =>
      `{{${f.clip(a.field)}}} is leeg voor ${f.number(a.count)} van de ${f.count(a.total, 'ontvanger', 'ontvangers')} (${placesText(a.places, f)}): zij lezen hier niets; vul de waarden in, of geef een standaardwaarde: {{${f.clip(a.field)} | "…"}}`,
  } satisfies CodeEntry<MergeValueEmptyArgs>,
  'from-freemail': {
    step: 'inbox',
    severity: 'error',
    when: 'a From address on a free-mail domain (gmail.com, yahoo.com, outlook.com, gmx, web.de …: a maintained list of thousands): their DMARC rejects bulk mail sent through another server',
    en: (a: { address: string; provider: string }, f: Formatter) =>
      `From ${f.clip(a.address)} is on ${f.clip(a.provider)}, a free-mail domain: its DMARC policy makes Gmail, Yahoo and others reject mail in its name that another server sends; send from a domain of your own`,
    nl: (a: { address: string; provider: string }, f: Formatter) =>
      `Afzender ${f.clip(a.address)} hoort bij ${f.clip(a.provider)}, een gratis maildomein: door het DMARC-beleid daarvan weigeren Gmail, Yahoo en anderen mail uit zijn naam die een andere server verstuurt; verzend vanaf een eigen domein`,
  } satisfies CodeEntry<{ address: string; provider: string }>,
  'dkim-missing': {
    step: 'inbox',
    severity: 'warning',
    when: 'SMTP transport without DKIM signing: Gmail and Yahoo require it of bulk senders since February 2024',
    en: () => 'SMTP without DKIM signing: Gmail and Yahoo require DKIM of bulk senders since February 2024; add `sending.dkim` with `domain`, `selector` and `privateKey`',
    nl: () => 'SMTP zonder DKIM-ondertekening: Gmail en Yahoo eisen sinds februari 2024 DKIM van bulkverzenders; voeg `sending.dkim` toe met `domain`, `selector` en `privateKey`',
  } satisfies CodeEntry<Record<string, never>>,
  'spam-score': {
    step: 'inbox',
    severity: 'warning / error',
    when: 'SpamAssassin’s score of the first recipient’s message over `checks.spam.warning` (default 3: warning) or `checks.spam.error` (default 5: error), with the rules that fired; off the typing path: in VS Code after a save and from Confirm, `mailings validate --spam`',
    en: (a: SpamScoreArgs, f: Formatter) => {
      const rules = spamRules(a.rules, f);
      return `SpamAssassin scores the message for ${f.clip(a.email)} at ${f.decimal(a.score)} points, over ${f.decimal(a.threshold)} (\`checks.spam.${a.key}\`)${rules ? `: ${rules}` : ''}`;
    },
    nl: (a: SpamScoreArgs, f: Formatter) => {
      const rules = spamRules(a.rules, f);
      return `SpamAssassin geeft het bericht voor ${f.clip(a.email)} ${f.decimal(a.score)} punten, meer dan ${f.decimal(a.threshold)} (\`checks.spam.${a.key}\`)${rules ? `: ${rules}` : ''}`;
    },
  } satisfies CodeEntry<SpamScoreArgs>,
  'spam-unavailable': {
    step: 'inbox',
    severity: 'info',
    when: 'SpamAssassin is not installed, so the spam score is unknown (how to install it)',
    en: (a: { command: string }, f: Formatter) =>
      `The spam score is unknown: SpamAssassin is not installed (\`${f.clip(a.command)}\` was not found). Install it with \`sudo apt-get install spamassassin\` (Debian, Ubuntu), \`sudo dnf install spamassassin\` (Fedora) or \`brew install spamassassin\` (macOS); it scores on this machine, with local rules only`,
    nl: (a: { command: string }, f: Formatter) =>
      `De spamscore is onbekend: SpamAssassin is niet geïnstalleerd (\`${f.clip(a.command)}\` is niet gevonden). Installeer het met \`sudo apt-get install spamassassin\` (Debian, Ubuntu), \`sudo dnf install spamassassin\` (Fedora) of \`brew install spamassassin\` (macOS); het beoordeelt op deze computer, alleen met lokale regels`,
  } satisfies CodeEntry<{ command: string }>,
  'spam-failed': {
    step: 'inbox',
    severity: 'warning',
    when: 'SpamAssassin is installed but did not score the message (it failed, or took too long)',
    en: (a: SpamFailedArgs, f: Formatter) =>
      a.kind === 'timeout' ? `SpamAssassin did not score the message within ${f.count(a.seconds, 'second', 'seconds')}: the spam score is unknown` : `SpamAssassin did not score the message (${f.clip(a.message, 200)}): the spam score is unknown`,
    nl: (a: SpamFailedArgs, f: Formatter) =>
      a.kind === 'timeout' ? `SpamAssassin heeft het bericht niet binnen ${f.count(a.seconds, 'seconde', 'seconden')} beoordeeld: de spamscore is onbekend` : `SpamAssassin heeft het bericht niet beoordeeld (${f.clip(a.message, 200)}): de spamscore is onbekend`,
  } satisfies CodeEntry<SpamFailedArgs>,
  'link-broken': {
    step: 'inbox',
    severity: 'warning',
    when: 'a link or image that answers 4xx/5xx, or does not answer (on demand: `mailings check-links`)',
    en: (a: LinkBrokenArgs, f: Formatter) => {
      const start = `${what(a, f)} ${f.quote(a.url)}`;
      if (a.kind === 'status') return `${start} is broken: the server answers ${a.status}`;
      if (a.kind === 'timeout') return `${start} does not answer within ${f.count(a.seconds, 'second', 'seconds')}`;
      return `${start} cannot be reached (${f.clip(a.code)})`;
    },
    nl: (a: LinkBrokenArgs, f: Formatter) => {
      const start = `${what(a, f)} ${f.quote(a.url)}`;
      if (a.kind === 'status') return `${start} werkt niet: de server antwoordt ${a.status}`;
      if (a.kind === 'timeout') return `${start} geeft binnen ${f.count(a.seconds, 'seconde', 'seconden')} geen antwoord`;
      return `${start} is niet bereikbaar (${f.clip(a.code)})`;
    },
  } satisfies CodeEntry<LinkBrokenArgs>,
  'link-redirect': {
    step: 'inbox',
    severity: 'info',
    when: 'a link or image that redirects (3xx), with its target (on demand, as `link-broken`)',
    en: (a: UrlArgs & { status: number; target: string }, f: Formatter) =>
      `${what(a, f)} ${f.quote(a.url)} redirects (${a.status}) to ${f.quote(a.target, 200)}: link to the target unless the detour is meant (a tracking or short link)`,
    nl: (a: UrlArgs & { status: number; target: string }, f: Formatter) =>
      `${what(a, f)} ${f.quote(a.url)} stuurt door (${a.status}) naar ${f.quote(a.target, 200)}: verwijs direct naar het doel, tenzij de omweg bedoeld is (een tracking- of korte link)`,
  } satisfies CodeEntry<UrlArgs & { status: number; target: string }>,
};
