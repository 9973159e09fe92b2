import * as assert from 'node:assert/strict';
import { formatDuration, parseDuration } from '../../src/core/time/duration';

describe('scheduler durations (--poll, --grace)', () => {
  it('reads units, combinations and bare seconds', () => {
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('90m'), 5_400_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('2 hours'), 7_200_000);
    assert.equal(parseDuration('1.5h'), 5_400_000);
    assert.equal(parseDuration('45'), 45_000);
  });
  it('refuses what is no duration', () => {
    for (const text of ['', 'soon', '10 parsecs', '5m later', 'h', '-5s']) assert.equal(parseDuration(text), undefined, text);
  });
  it('formats for people', () => {
    assert.equal(formatDuration(250), '250 ms');
    assert.equal(formatDuration(30_000), '30 s');
    assert.equal(formatDuration(5_400_000), '1 h 30 min');
    assert.equal(formatDuration(86_400_000 + 1000), '1 d 1 s');
  });
});
