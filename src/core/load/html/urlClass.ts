// What a URL in a message is, seen from a recipient's inbox: a web address that works anywhere, one
// that cannot (localhost, loopback and private networks, `file:`, a path relative to the file), one
// sent in clear text (`http:`), or no URL at all. Judged on the WHATWG URL parser (what mail clients
// and browsers use), so `http://2130706433/` is known as 127.0.0.1 and `http://[::ffff:10.0.0.1]/`
// as a private address.
import { isIP } from 'node:net';
import type { LocalReason } from '../../facts/inboxFindings';

export type { LocalReason };

export type UrlClass =
  | { kind: 'ok'; url: URL }
  | { kind: 'insecure'; url: URL }
  | { kind: 'local'; reason: LocalReason; host?: string }
  /** `empty`: nothing written; `unparseable`: no URL; `no-host`: http(s) without a host; `no-scheme`: `//host/…`, which takes the scheme of a page an inbox does not have. */
  | { kind: 'invalid'; reason: 'empty' | 'unparseable' | 'no-host' | 'no-scheme' }
  /** An address inside the document (`#top`): neither checked nor fetched. */
  | { kind: 'fragment' };

const LOCAL_NAMES = /(^|\.)(localhost|local|internal|home\.arpa|localdomain)\.?$/i;

function ipv4Class(address: string): LocalReason | undefined {
  const [a, b] = address.split('.').map(Number);
  if (a === 127 || a === 0) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)) return 'private';
  if (a === 169 && b === 254) return 'link-local';
  return undefined;
}

function ipv6Class(address: string): LocalReason | undefined {
  const lower = address.toLowerCase();
  if (lower === '::1' || lower === '::') return 'loopback';
  // IPv4-mapped (`::ffff:10.0.0.1`; the URL parser writes it as `::ffff:a00:1`).
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (mapped) {
    const high = parseInt(mapped[1], 16);
    const low = parseInt(mapped[2], 16);
    return ipv4Class(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return ipv4Class(dotted[1]);
  const first = parseInt(lower.split(':')[0] || '0', 16);
  if ((first & 0xfe00) === 0xfc00) return 'private';
  if ((first & 0xffc0) === 0xfe80) return 'link-local';
  return undefined;
}

/** Whether a host name or address can only be reached from the sender's own machine or network. */
export function localHost(hostname: string): LocalReason | undefined {
  const host = hostname.replace(/^\[|\]$/g, '');
  const version = isIP(host);
  if (version === 4) return ipv4Class(host);
  if (version === 6) return ipv6Class(host);
  return LOCAL_NAMES.test(host) ? 'localhost' : undefined;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Classifies a URL as a mail client reads it (entities decoded, merge fields filled or masked, trimmed). */
export function classifyUrl(value: string): UrlClass {
  const trimmed = value.trim();
  if (!trimmed) return { kind: 'invalid', reason: 'empty' };
  if (trimmed.startsWith('#')) return { kind: 'fragment' };
  if (!SCHEME.test(trimmed)) {
    // `//host/path` takes the scheme of a page: an inbox has none.
    if (trimmed.startsWith('//')) {
      try {
        const url = new URL(`https:${trimmed}`);
        const reason = localHost(url.hostname);
        return reason ? { kind: 'local', reason, host: url.hostname } : { kind: 'invalid', reason: 'no-scheme' };
      } catch {
        return { kind: 'invalid', reason: 'unparseable' };
      }
    }
    return { kind: 'local', reason: 'relative' };
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { kind: 'invalid', reason: 'unparseable' };
  }
  if (url.protocol === 'file:') return { kind: 'local', reason: 'file' };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { kind: 'ok', url };
  if (!url.hostname) return { kind: 'invalid', reason: 'no-host' };
  const reason = localHost(url.hostname);
  if (reason) return { kind: 'local', reason, host: url.hostname };
  return url.protocol === 'http:' ? { kind: 'insecure', url } : { kind: 'ok', url };
}
