// What an SMTP reply means for the recipient it answered: the address does not exist (hard bounce),
// the mailbox cannot take mail now (soft bounce), the server asks us to send slower (throttled), a
// temporary failure worth retrying, or a refusal of this message that says nothing about the
// address (policy: spam, reputation, authentication; or another failure). The same reading serves
// the replies at send time and the diagnostics inside bounce reports that arrive later by mail.
//
// The enhanced status code (RFC 3463) decides where it is specific (5.1.1 bad mailbox, 5.2.2 mailbox
// full, 5.7.x policy); the text decides where the code is generic (5.0.0, 5.5.0, none) — the big
// providers put the meaning in words ("mailbox unavailable", "doesn't have a yahoo.com account").
// Words that state plainly that the address does not exist also override a 5.7.x, which some
// servers use for every refusal.

export interface SmtpReply {
  /** The three-digit reply code (550), when there is one. */
  code?: number;
  /** The enhanced status code (5.1.1), when there is one. */
  enhanced?: string;
  /** The reply's text without the codes, one line. */
  text: string;
}

/**
 * hard-bounce: the address does not exist or is disabled: never mail it again.
 * soft-bounce: the mailbox is full or over quota: counted per address.
 * throttled: the server wants fewer connections or messages: retry later, send slower.
 * temporary: any other 4xx (greylisting, a passing fault): retry later.
 * policy: refused for the sender's or the message's sake (spam, reputation, SPF/DKIM/DMARC, relay).
 * failed: any other permanent failure (message too large, syntax, an unknown 5xx).
 */
export type ReplyClass = 'hard-bounce' | 'soft-bounce' | 'throttled' | 'temporary' | 'policy' | 'failed';

export interface ReplyClassification extends SmtpReply {
  class: ReplyClass;
  /** Whether the same message may succeed later (a 4xx). */
  retry: boolean;
  /** What decided: `status 5.1.1`, `text "user unknown"`, `code 4xx`. */
  rule: string;
}

/** What a recipient's failure amounts to once nothing more will be tried. */
export type FinalOutcome = 'hard-bounce' | 'soft-bounce' | 'failed';

const ENHANCED = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])/;
const LEADING_CODE = /^([245]\d\d)(?:[ :-]|$)/;
/** A reply quoted in prose with its status: `#550 5.1.1 RESOLVER…`, `returned '550 5.1.10 …'`. */
const EMBEDDED_WITH_STATUS = /(?<![\d.])([45][0-5]\d)[ -]([45]\.\d{1,3}\.\d{1,3})(?![\d.])/;
/**
 * A reply quoted in prose after the words that introduce one: `host mx[192.0.2.1] said: 550 …`,
 * `host mx.example [192.0.2.25]: 550 No Such User Here`. A bare number elsewhere ("limit 450 per
 * hour") is no reply code.
 */
const EMBEDDED_AFTER_WORD = /(?:\b(?:said|returned|reply|response|error|answered|failed)\b|\]\s*:)[^\d\n]{0,30}?(?<![\d.])([45][0-5]\d)(?![\d.])/i;

/**
 * Reads a reply as servers and reports write it: `550 5.1.1 text`, multi-line `550-5.1.1 …` (joined
 * or not), a DSN diagnostic `smtp; 550 …` or `X-Postfix; unknown user`, or prose that quotes a reply
 * (`host mx[192.0.2.1] said: 550 No such user`, `(#5.1.1)`).
 */
export function parseSmtpReply(reply: string): SmtpReply {
  let text = reply.replace(/\s+/g, ' ').trim();
  // A DSN diagnostic's type: `smtp;`, `X-Postfix;`, `x-unix;`.
  text = text.replace(/^[A-Za-z][\w-]*\s*;\s*/, '');
  let code: number | undefined;
  let enhanced: string | undefined;
  const leading = LEADING_CODE.exec(text);
  if (leading) {
    code = Number(leading[1]);
    text = text.slice(leading[0].length);
    const status = /^([245]\.\d{1,3}\.\d{1,3})(?:\s|$)/.exec(text);
    if (status) {
      enhanced = status[1];
      text = text.slice(status[0].length);
    }
    // The continuation prefixes of a multi-line reply joined into one line: `… try 550-5.1.1 double-checking …`.
    const prefix = new RegExp(`(?:^|\\s)${code}[ -]${enhanced ? `(?:${enhanced.replace(/\./g, '\\.')}\\s+)?` : ''}`, 'g');
    text = text.replace(prefix, ' ');
  } else {
    const withStatus = EMBEDDED_WITH_STATUS.exec(text);
    const embedded = withStatus ?? EMBEDDED_AFTER_WORD.exec(text);
    if (embedded) code = Number(embedded[1]);
    if (withStatus) enhanced = withStatus[2];
  }
  if (!enhanced) {
    const status = ENHANCED.exec(text);
    if (status) enhanced = `${status[1]}.${Number(status[2])}.${Number(status[3])}`;
  }
  text = text.replace(/\s+/g, ' ').trim();
  const result: SmtpReply = { text };
  if (code !== undefined) result.code = code;
  if (enhanced !== undefined) result.enhanced = enhanced;
  return result;
}

type Rule = [RegExp, string];

/** The sender's address was refused, not the recipient's (x.1.7, x.1.8 and their words). */
const SENDER_TEXTS: Rule[] = [
  [/\bsender address (rejected|invalid|unknown|not (allowed|permitted))\b/i, 'sender address rejected'],
  [/\bsender verify failed\b/i, 'sender verify failed'],
  [/\bsender (rejected|denied|domain (not found|must exist))\b/i, 'sender rejected'],
];

/** Words that say plainly that the address does not exist: they override even a 5.7.x. */
const HARD_TEXTS: Rule[] = [
  [/\buser (is )?unknown\b/i, 'user unknown'],
  [/\bunknown (user|recipient|mailbox|address|local[- ]part)\b/i, 'unknown user'],
  [/\bno such (user|recipient|mailbox|address|account|person|local user)\b/i, 'no such user'],
  [/\b(user|mailbox|recipient|account|address)( \S+)? (does not|doesn'?t|did not) exist\b/i, 'does not exist'],
  [/\bdoes not exist\b|\bdoesn'?t exist\b/i, 'does not exist'],
  [/\b(user|mailbox|recipient) (not found|unknown)\b/i, 'mailbox not found'],
  [/\baddress not found\b/i, 'address not found'],
  [/\bRecipientNotFound\b|\bExRecipNotFound\b/, 'RecipientNotFound'],
  [/\bdoesn'?t have an? [\w.-]+ account\b/i, "doesn't have an account"],
  [/\bno mailbox (here|by that name)\b/i, 'no mailbox here'],
  [/\b(mailbox|account|address|user)\b[^.;]{0,40}\b(is|has been) (disabled|deactivated|suspended|closed|terminated|inactive|no longer (active|in use|available))\b/i, 'mailbox disabled'],
  [/\b(nonexistent|non-existent|unknown) (domain|host)\b|\bNonExistentDomain\b|\bdomain (not found|does not exist)\b|\bhost or domain name not found\b/i, 'domain does not exist'],
  [/\bunrouteable address\b/i, 'unrouteable address'],
];

/** Words that commonly mean a missing address, but that a server may also use for a policy refusal. */
const WEAK_HARD_TEXTS: Rule[] = [
  [/\brecipient (address )?rejected\b/i, 'recipient address rejected'],
  [/\bmailbox (is )?(unavailable|not available|not found|invalid)\b/i, 'mailbox unavailable'],
  [/\binvalid (recipient|mailbox|address|user)\b/i, 'invalid recipient'],
  [/\bnot a valid (mailbox|recipient|user|address)\b/i, 'not a valid mailbox'],
  [/\brecipient (unknown|not found|invalid)\b/i, 'recipient unknown'],
];

const SOFT_TEXTS: Rule[] = [
  [/\b(mailbox|mail box|inbox|account|user|recipient|storage)\b[^.;]{0,40}\b(is )?(full|over ?(its |the )?quota|out of (storage|space))\b/i, 'mailbox full'],
  [/\bmailbox\b[^;]{0,80}\b(file too large|disk quota exceeded)\b/i, 'mailbox full'],
  [/\bmailbox full\b|\bover ?quota\b|\bquota (exceeded|full)\b|\bQuotaExceeded\b|\bexceeded (its |the )?(storage|mailbox|quota)\b/i, 'over quota'],
];

/** A limit on how much or how fast we send; checked before the quota words ("sending quota exceeded"). */
const THROTTLE_TEXTS: Rule[] = [
  [/throttl/i, 'throttling'],
  [/\brate[- ]?limit/i, 'rate limit'],
  [/\btoo many (connections|messages|mails?|e-?mails|sessions|concurrent|simultaneous|recipients this)\b/i, 'too many connections or messages'],
  [/\btoo (fast|much mail|frequent)\b/i, 'too fast'],
  [/\b(unexpected|unusual|high|excessive) (volume|rate|traffic)\b/i, 'unusual volume'],
  [/\bat a rate\b|\bsending rate\b|\b(daily|hourly|sending|message) (sending )?(limit|quota)\b/i, 'sending rate'],
  [/\bslow down\b/i, 'slow down'],
];

/** "Try again later": throttling when a 421/450/451/454 says it (issue 14 slows down on it). */
const LATER_TEXT: Rule = [/\b(please )?(try|retry|come back)( again)? later\b|\bplease try later\b/i, 'try again later'];
const LATER_CODES = new Set([421, 450, 451, 454]);

const GREYLIST_TEXT: Rule = [/\b(grey|gray)[- ]?list/i, 'greylisting'];

const POLICY_TEXTS: Rule[] = [
  [/\bspam\b|\bspamhaus\b|\bunsolicited\b|\bphishing\b|\bvirus\b|\bmalware\b/i, 'spam or content'],
  [/\bblock(ed|list)\b|\bblacklist|\bdenylist|\blisted (at|on|in)\b|\bbanned\b/i, 'blocked'],
  [/\breputation\b|\bpolicy\b|\bDMARC\b|\bSPF\b|\bDKIM\b|\bunauthenticated\b|\bnot authori[sz]ed\b|\brelay(ing)? (access )?(denied|not permitted)\b/i, 'policy'],
];

function firstMatch(rules: Rule[], text: string): string | undefined {
  for (const [pattern, label] of rules) if (pattern.test(text)) return label;
  return undefined;
}

function result(reply: SmtpReply, cls: ReplyClass, rule: string): ReplyClassification {
  return { ...reply, class: cls, retry: cls === 'throttled' || cls === 'temporary' || (cls === 'soft-bounce' && severityOf(reply) === 4), rule };
}

function severityOf(reply: SmtpReply): 4 | 5 | undefined {
  const digit = reply.code !== undefined ? Math.floor(reply.code / 100) : reply.enhanced ? Number(reply.enhanced[0]) : undefined;
  return digit === 4 ? 4 : digit === 5 ? 5 : undefined;
}

export interface ClassifyOptions {
  /** Used only when the reply has neither a code nor an enhanced status (prose, a network error). */
  severity?: 'permanent' | 'temporary';
}

/** Sorts one reply (parsed or as a line) into what it means for its recipient. */
export function classifySmtpReply(input: SmtpReply | string, options: ClassifyOptions = {}): ReplyClassification {
  const reply = typeof input === 'string' ? parseSmtpReply(input) : input;
  const text = reply.text;
  const status = reply.enhanced;
  const severity = severityOf(reply) ?? (options.severity === 'temporary' ? 4 : options.severity === 'permanent' ? 5 : undefined);
  if (severity === undefined) return result(reply, 'temporary', 'no code: a network or local error');
  const [, subject, detail] = status ? status.split('.').map(Number) : [];

  if (severity === 4) {
    if (status && subject === 2 && detail === 2) return result(reply, 'soft-bounce', `status ${status}`);
    const soft = firstMatch(SOFT_TEXTS, text);
    const throttle = firstMatch(THROTTLE_TEXTS, text);
    if (soft && !throttle) return result(reply, 'soft-bounce', `text "${soft}"`);
    if (GREYLIST_TEXT[0].test(text)) return result(reply, 'temporary', `text "${GREYLIST_TEXT[1]}"`);
    if (throttle) return result(reply, 'throttled', `text "${throttle}"`);
    if (reply.code !== undefined && LATER_CODES.has(reply.code) && LATER_TEXT[0].test(text)) return result(reply, 'throttled', `text "${LATER_TEXT[1]}"`);
    return result(reply, 'temporary', status ? `status ${status}` : 'code 4xx');
  }

  // Permanent.
  const sender = firstMatch(SENDER_TEXTS, text);
  if ((status && subject === 1 && (detail === 7 || detail === 8)) || sender) return result(reply, 'policy', sender ? `text "${sender}"` : `status ${status}`);
  if (status && subject === 1) return result(reply, 'hard-bounce', `status ${status}`);
  if (status && subject === 2 && detail === 1) return result(reply, 'hard-bounce', `status ${status}`);
  if (status && subject === 2 && detail === 2) return result(reply, 'soft-bounce', `status ${status}`);
  const hard = firstMatch(HARD_TEXTS, text);
  if (status && subject === 7) return hard ? result(reply, 'hard-bounce', `text "${hard}"`) : result(reply, 'policy', `status ${status}`);
  // Message too large (5.2.3, 5.3.4), content or conversion (5.6.x): this message, not the address.
  if (status && ((subject === 2 && detail === 3) || (subject === 3 && detail === 4) || subject === 6)) return result(reply, 'failed', `status ${status}`);
  const throttle = firstMatch(THROTTLE_TEXTS, text);
  if (throttle) return result(reply, 'policy', `text "${throttle}"`);
  const soft = firstMatch(SOFT_TEXTS, text);
  if (soft) return result(reply, 'soft-bounce', `text "${soft}"`);
  if (hard) return result(reply, 'hard-bounce', `text "${hard}"`);
  const policy = firstMatch(POLICY_TEXTS, text);
  if (policy) return result(reply, 'policy', `text "${policy}"`);
  const weak = firstMatch(WEAK_HARD_TEXTS, text);
  if (weak) return result(reply, 'hard-bounce', `text "${weak}"`);
  return result(reply, 'failed', status ? `status ${status}` : 'code 5xx');
}

/**
 * A recipient's outcome once nothing more will be tried: a 4xx that was retried until the attempts
 * ran out is a soft bounce — unless it was about us (throttling, x.7.x policy) or never reached a
 * server (no code: a network error), which says nothing about the address.
 */
export function finalOutcome(classification: ReplyClassification): FinalOutcome {
  switch (classification.class) {
    case 'hard-bounce':
      return 'hard-bounce';
    case 'soft-bounce':
      return 'soft-bounce';
    case 'temporary': {
      const status = classification.enhanced;
      if (status?.startsWith('4.7.')) return 'failed';
      return severityOf(classification) === 4 ? 'soft-bounce' : 'failed';
    }
    default:
      return 'failed';
  }
}
