// The sender as the big mailbox providers judge bulk mail: a From on a free-mail domain (gmail.com,
// yahoo.com, outlook.com, gmx.*, web.de …) fails DMARC when sent through any other server, and
// Gmail and Yahoo reject it; SMTP without DKIM signing fails their bulk-sender rules (February
// 2024). The free-mail domains are the `email-providers` package's maintained list (8,760 domains).
import type { LoadedMailing } from '../load/loadMailing';
import type { YamlPath } from '../load/sourceNodes';
import type { InboxFinding } from '../facts/inboxFindings';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const FREE_MAIL: ReadonlySet<string> = new Set((require('email-providers/all.json') as string[]).map((domain) => domain.toLowerCase()));

/** The free-mail domain an address is on (the domain itself or a parent of it), case aside. */
export function freeMailDomain(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0) return undefined;
  const labels = address
    .slice(at + 1)
    .trim()
    .toLowerCase()
    .replace(/\.$/, '')
    .split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const candidate = labels.slice(i).join('.');
    if (FREE_MAIL.has(candidate)) return candidate;
  }
  return undefined;
}

export function findSenderProblems(loaded: LoadedMailing): InboxFinding[] {
  const found: InboxFinding[] = [];
  const from = loaded.from;
  if (from?.parse.ok) {
    const address = from.parse.address.email;
    const provider = freeMailDomain(address);
    if (provider) {
      const path: YamlPath = typeof loaded.data.from === 'object' && loaded.data.from !== null ? ['from', 'email'] : ['from'];
      found.push({ kind: 'from-freemail', range: loaded.ranges.value(path), address, domain: address.slice(address.lastIndexOf('@') + 1), provider });
    }
  }
  if (loaded.sending.transport === 'smtp' && !loaded.sending.dkim) {
    found.push({ kind: 'dkim-missing', range: loaded.ranges.value(['sending', 'transport']) });
  }
  return found;
}
