// Throttling that listens: which replies mean "too fast", the AIMD rate controller (down on a
// throttle reply, once per cool-down; up again after runs of successes, never above the cap), and
// the adjustable token bucket under it.
import * as assert from 'node:assert/strict';
import { MIN_RATE_PER_SECOND, RateController, SUCCESS_RUN } from '../../src/core/pace/rateController';
import { isThrottleReply } from '../../src/core/pace/throttle';
import { RateLimiter } from '../../src/core/send/rateLimiter';

const T0 = 1_000_000;

describe('throttle replies', () => {
  it('knows the usual "too fast" replies', () => {
    for (const [code, reply] of [
      [454, '454 Throttling failure: Maximum sending rate exceeded.'],
      [421, '421 4.7.0 Try again later, closing connection. (EHLO) u1si123 - gsmtp'],
      [451, '451 4.7.500 Server busy. Please try again later from [1.2.3.4].'],
      [421, '421 4.7.0 [TSS04] Messages from 1.2.3.4 temporarily deferred due to unexpected volume or user complaints'],
      [450, '450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered. Please resend your message at a later time. rate limited'],
      [421, '421 Too many concurrent SMTP connections from this IP address; please try again later.'],
      [451, '451 Rate limit exceeded'],
    ] as const) {
      assert.equal(isThrottleReply(code, reply), true, reply);
    }
  });

  it('leaves other temporary and permanent replies alone', () => {
    assert.equal(isThrottleReply(450, '450 4.2.0 Mailbox temporarily unavailable'), false);
    assert.equal(isThrottleReply(451, '451 4.3.0 Local error in processing'), false);
    assert.equal(isThrottleReply(452, '452 4.5.3 Too many recipients'), false, '452 is not one of the throttle codes');
    assert.equal(isThrottleReply(550, '550 5.7.1 Rate limit exceeded, message refused'), false, 'permanent');
    assert.equal(isThrottleReply(undefined, '454 4.7.0 Throttling: slow down'), true, 'the code read from the text');
  });
});

describe('rate limiter', () => {
  it('holds one second of tokens, starts with one, and changes rate on the fly', () => {
    const limiter = new RateLimiter(10, T0);
    assert.equal(limiter.tryTake(T0), true);
    assert.equal(limiter.tryTake(T0), false);
    assert.equal(limiter.nextAt(T0), T0 + 100);
    assert.equal(limiter.tryTake(T0 + 100), true);
    limiter.setRate(1, T0 + 100);
    assert.equal(limiter.nextAt(T0 + 100), T0 + 1_100);
    // After a long pause the bucket holds one second's worth (one token at 1/s), not the backlog.
    assert.equal(limiter.tryTake(T0 + 60_000), true);
    assert.equal(limiter.tryTake(T0 + 60_000), false);
    const free = new RateLimiter(Infinity, T0);
    assert.equal(free.tryTake(T0) && free.tryTake(T0) && free.nextAt(T0) === T0, true);
  });
});

describe('rate controller (AIMD)', () => {
  it('halves the rate on a throttle reply and ignores replies to hand-offs made before that decrease', () => {
    const changes: number[] = [];
    const controller = new RateController(20, T0, (rate) => changes.push(rate));
    for (let k = 0; k < 40; k++) controller.started(T0 + k * 50); // 20/s achieved over the last second
    assert.equal(controller.throttled(T0 + 1_900, T0 + 1_950), true);
    assert.equal(controller.current, 10);
    // Replies to hand-offs begun before the decrease were caused by the old rate.
    assert.equal(controller.throttled(T0 + 1_940, T0 + 1_960), false);
    assert.equal(controller.current, 10);
    // So do those begun within the cool-down; a hand-off made after it that is throttled lowers it again.
    assert.equal(controller.throttled(T0 + 2_500, T0 + 2_600), false);
    controller.started(T0 + 3_000);
    assert.equal(controller.throttled(T0 + 3_000, T0 + 3_010), true);
    assert.ok(controller.current <= 5, `${controller.current}`);
    assert.deepEqual(changes.slice(0, 1), [10]);
    assert.equal(controller.throttledAt, T0 + 3_010);
    // The bucket was emptied: the next message waits a whole interval.
    assert.ok(controller.limiter.nextAt(T0 + 3_010) > T0 + 3_010);
  });

  it('starts from the rate achieved when that is below the cap', () => {
    const controller = new RateController(100, T0);
    for (let k = 0; k < 8; k++) controller.started(T0 + k * 250); // 4/s over the last second
    controller.throttled(T0 + 1_750, T0 + 1_800);
    assert.equal(controller.current, 2);
  });

  it('recovers additively after runs of successes, never above the configured rate', () => {
    const controller = new RateController(20, T0);
    controller.started(T0);
    controller.throttled(T0, T0 + 10);
    const low = controller.current;
    for (let k = 0; k < SUCCESS_RUN - 1; k++) controller.succeeded(T0 + 100 + k);
    assert.equal(controller.current, low, 'not before a whole run');
    controller.succeeded(T0 + 200);
    assert.equal(controller.current, low + 1, 'one step: 5% of 20/s');
    for (let k = 0; k < 100 * SUCCESS_RUN; k++) controller.succeeded(T0 + 300 + k);
    assert.equal(controller.current, 20);
  });

  it('without a configured rate: no cap until the first throttle reply, then AIMD from the achieved rate', () => {
    const controller = new RateController(Infinity, T0);
    assert.equal(controller.current, Infinity);
    for (let k = 1; k <= 200; k++) controller.started(T0 + k * 10); // 100/s over the last 2 s
    controller.throttled(T0 + 2_000, T0 + 2_000);
    assert.equal(controller.current, 50);
    for (let k = 0; k < SUCCESS_RUN; k++) controller.succeeded(T0 + 2_100 + k);
    assert.equal(controller.current, 55, 'steps of 10% of the lowered rate');
  });

  it('never goes below one message a minute', () => {
    const controller = new RateController(1, T0);
    for (let k = 0; k < 20; k++) controller.throttled(T0 + k * 2_000, T0 + k * 2_000 + 1);
    assert.equal(controller.current, MIN_RATE_PER_SECOND);
  });
});
