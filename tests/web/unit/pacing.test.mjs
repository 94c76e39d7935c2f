import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from '../../../web/src/pacing.js';

test('a full bucket gives its burst, then waits', () => {
  const b = new TokenBucket(80, 16, 0);
  let sent = 0;
  while (b.take(0)) sent += 1;
  assert.equal(sent, 16);
  assert.equal(b.available(0), 0);
  assert.equal(b.take(0), false, 'never negative: no token, no message');
  assert.equal(b.available(0), 0);
});

test('it refills by elapsed time, not by how often it is asked', () => {
  // A background tab's timer fires once a second: the bucket still offers
  // a second's worth (capped at the burst), not one tick's.
  const ticked = new TokenBucket(80, 16, 0);
  while (ticked.take(0));
  assert.equal(ticked.available(1000), 16);
  // Asked every 20 ms, it hands out 80 a second.
  const steady = new TokenBucket(80, 16, 0);
  while (steady.take(0));
  let sent = 0;
  for (let t = 20; t <= 1000; t += 20) while (steady.take(t)) sent += 1;
  assert.equal(sent, 80);
});

test('any one-second window stays under the server limit of 100 messages', () => {
  const b = new TokenBucket(80, 16, 0);
  const times = [];
  for (let t = 0; t <= 5000; t += 1) while (b.take(t)) times.push(t);
  for (let start = 0; start <= 4000; start += 50) {
    const inWindow = times.filter((t) => t >= start && t < start + 1000).length;
    assert.ok(inWindow <= 96, `${inWindow} messages in [${start}, ${start + 1000}) ms`);
  }
});

test('a clock that goes back adds nothing, and bad settings are refused', () => {
  const b = new TokenBucket(80, 16, 1000);
  while (b.take(1000));
  assert.equal(b.available(500), 0);
  assert.equal(b.available(1000), 0);
  assert.throws(() => new TokenBucket(0, 16, 0), /bad token bucket/);
  assert.throws(() => new TokenBucket(80, 0, 0), /bad token bucket/);
});
