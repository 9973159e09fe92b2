// Header fields as RFC 5322 writes them, which is also how the machine-readable parts of reports are
// written (RFC 3464 delivery-status, RFC 5965 feedback-report, returned message headers): `Name:
// value` lines, folded onto indented continuation lines, in groups separated by blank lines. Names
// are compared case-insensitively; folding is undone with single spaces. A line that is neither a
// field nor a continuation (a report torn or written carelessly) is skipped, never fatal.

export class HeaderFields {
  private readonly fields: [name: string, value: string][] = [];

  /** The fields of one group (the text up to its first blank line). */
  static parse(text: string): HeaderFields {
    const group = new HeaderFields();
    let current: [string, string] | undefined;
    for (const line of text.split(/\r?\n/)) {
      if (!line.trim()) {
        if (group.fields.length > 0) break;
        continue;
      }
      if (/^[ \t]/.test(line)) {
        if (current) current[1] += ' ' + line.trim();
        continue;
      }
      const colon = line.indexOf(':');
      if (colon <= 0 || /\s/.test(line.slice(0, colon).trim()) || !/^[!-9;-~]+$/.test(line.slice(0, colon).trim())) {
        current = undefined;
        continue;
      }
      current = [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
      group.fields.push(current);
    }
    return group;
  }

  get size(): number {
    return this.fields.length;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** The first value of a field, whitespace-collapsed. */
  get(name: string): string | undefined {
    const key = name.toLowerCase();
    for (const [field, value] of this.fields) if (field === key) return value.replace(/\s+/g, ' ');
    return undefined;
  }

  /** Every value of a field, in order. */
  all(name: string): string[] {
    const key = name.toLowerCase();
    return this.fields.filter(([field]) => field === key).map(([, value]) => value.replace(/\s+/g, ' '));
  }
}

/** The groups of fields in a text, split at blank lines (a delivery-status body). */
export function parseFieldGroups(text: string): HeaderFields[] {
  const groups: HeaderFields[] = [];
  for (const block of text.split(/\r?\n[ \t]*\r?\n/)) {
    const group = HeaderFields.parse(block);
    if (group.size > 0) groups.push(group);
  }
  return groups;
}

/** The header block of a message's text: everything before the first blank line. */
export function headerBlock(message: string): string {
  const end = /\r?\n\r?\n/.exec(message);
  return end ? message.slice(0, end.index) : message;
}

/** Every `<…@…>` Message-ID in a header value (References holds several). */
export function messageIdsIn(value: string | undefined): string[] {
  if (!value) return [];
  return [...value.matchAll(/<([^<>\s]+@[^<>\s]+)>/g)].map((match) => `<${match[1]}>`);
}
