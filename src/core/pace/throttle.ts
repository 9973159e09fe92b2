// Which temporary SMTP replies mean "you are sending too fast": a 421, 450, 451 or 454 whose text
// says throttling, a rate limit, too many connections or messages, or try again later (Amazon SES
// "454 Throttling failure: Maximum sending rate exceeded", Microsoft "451 4.7.500 Server busy,
// please try again later", Gmail "421 4.7.28 … unusual rate of unsolicited mail", Yahoo "421 4.7.0
// [TSS04] Messages from … temporarily deferred due to unexpected volume"). Such a reply slows the
// sender down (rate controller) instead of counting against the recipient's attempts.
// (The bounce classifier of core/bounces is the general one; this small one answers only this.)

const THROTTLE_CODES = new Set([421, 450, 451, 454]);

const TOO_FAST =
  /throttl|rate[ -]?limit|sending rate|rate exceeded|too many (?:connections|concurrent|messages|mails|emails|recipients|sessions)|too fast|slow down|try (?:again )?later|unusual rate|unexpected volume|temporarily deferred|server busy|exceeded .*(?:limit|quota)|quota exceeded/i;

/** True when a temporary reply (its code and text) asks the sender to slow down. */
export function isThrottleReply(responseCode: number | undefined, reply: string): boolean {
  const code = responseCode ?? Number(/^\s*(\d{3})\b/.exec(reply)?.[1]);
  return THROTTLE_CODES.has(code) && TOO_FAST.test(reply);
}
