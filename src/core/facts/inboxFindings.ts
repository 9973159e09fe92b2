// The facts the Inbox step finds, as plain data: what kind, where (the file and 0-based range, as a
// Diagnostic has them) and the details a message needs. A thin layer turns each into a diagnostic
// with its code and the catalogue's words (English and Dutch); nothing here is worded for a reader.
// `kind` is the diagnostic code each becomes. The findings of the slow checks, run on demand, are
// beside them: spamScore.ts (SpamFinding) and reachability.ts (ReachFinding).
import type { Range } from '../types';

/** Why a URL cannot work in an inbox (urlClass.ts). */
export type LocalReason =
  /** `localhost`, `*.localhost`, and names only a local network resolves (`.local`, `.internal`, `.home.arpa`). */
  | 'localhost'
  /** 127.0.0.0/8, ::1, 0.0.0.0, :: */
  | 'loopback'
  /** 10/8, 172.16/12, 192.168/16, 100.64/10 (carrier-grade NAT), fc00::/7 */
  | 'private'
  /** 169.254/16, fe80::/10 */
  | 'link-local'
  | 'file'
  /** No scheme: a path, resolved against nothing in an inbox. */
  | 'relative';

export interface Located {
  /** Absolute path of the file the range is in (an HTML file); undefined: the mailing file. */
  file?: string;
  range: Range;
}

/** A URL as the finding reports it. */
export interface UrlFacts {
  /** As written in the file (trimmed). */
  url: string;
  /** The element and attribute it is in (`a`/`href`, `img`/`src`, `td`/`style` for a CSS url()). */
  element: string;
  attribute: string;
  /** An image (src, srcset, background, CSS url()) rather than a link. */
  image: boolean;
}

export type InboxFinding =
  | (Located & UrlFacts & { kind: 'link-invalid'; reason: 'empty' | 'unparseable' | 'no-host' | 'no-scheme' })
  | (Located & UrlFacts & { kind: 'link-local'; reason: LocalReason; host?: string })
  | (Located & UrlFacts & { kind: 'link-insecure' })
  | (Located & { kind: 'image-alt-missing'; src: string })
  /** A local image (embedded as a CID attachment) whose file does not exist, or cannot be read (`problem`). */
  | (Located & { kind: 'image-missing'; src: string; path: string; problem: 'missing' | 'unreadable' | 'not-a-file'; message?: string })
  /** A local image outside the workspace: never read (load/pathPolicy.ts). */
  | (Located & { kind: 'path-outside'; src: string; path: string; root: string })
  /** `scope: 'one'`: this image is over `limit` bytes; `'all'`: the local images together are (`count` of them). */
  | (Located & { kind: 'image-large'; scope: 'one' | 'all'; bytes: number; limit: number; src?: string; count?: number })
  | (Located & {
      kind: 'message-clipped';
      /** UTF-8 bytes of the largest recipient's HTML, and Gmail's limit. */
      bytes: number;
      limit: number;
      /** Who gets the largest message (their address; the CSV file and row when from a CSV). */
      recipient: { email: string; file?: string; row?: number };
      /** Whether the unsubscribe link lies beyond the limit (hidden behind "View entire message"). */
      unsubscribeHidden: boolean;
    })
  | (Located & {
      kind: 'client-unsupported';
      /** caniemail's title of the feature (`border-radius`, `<style> element`) and its page. */
      feature: string;
      slug: string;
      url: string;
      /** caniemail client ids (`outlook.windows`) that do not support it, and their families' names. */
      clients: string[];
      clientNames: string[];
      /** caniemail's notes on the support of those clients, if any. */
      notes: string[];
    })
  | (Located & {
      kind: 'merge-value-empty';
      field: string;
      /** How many recipients have no value for it, and where the first of them are. */
      count: number;
      total: number;
      places: EmptyValuePlace[];
    })
  | (Located & { kind: 'from-freemail'; address: string; domain: string; provider: string })
  | (Located & { kind: 'dkim-missing' })
  /** A `checks.clients` entry caniemail does not know (with the nearest known name, if any). */
  | (Located & { kind: 'client-unknown'; client: string; suggestion?: string });

/** Where recipients without a value are: a CSV file with its first rows, or inline contacts by address. */
export type EmptyValuePlace = { file: string; rows: number[]; more: number } | { contacts: string[]; more: number };

export type InboxFindingKind = InboxFinding['kind'];
