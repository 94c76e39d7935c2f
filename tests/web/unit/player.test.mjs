import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PcmPlayer, bytesToInt16 } from '../../../web/src/audio/player.js';

// Just enough of the Web Audio API to observe what PcmPlayer schedules.
class FakeContext {
  static last = null;
  currentTime = 10;
  state = 'suspended';
  destination = {};
  started = [];
  constructor() { FakeContext.last = this; }
  resume() { this.state = 'running'; return Promise.resolve(); }
  createBuffer(channels, length, rate) {
    const data = new Float32Array(length);
    return { duration: length / rate, sampleRate: rate, getChannelData: () => data };
  }
  createBufferSource() {
    const context = this;
    return {
      onended: null,
      stopped: false,
      connect() {},
      disconnect() {},
      start(when) { this.when = when; context.started.push(this); },
      stop() { this.stopped = true; },
    };
  }
}
globalThis.AudioContext = FakeContext;

const chunk = (samples) => new Int16Array(samples).fill(1000);

test('bytesToInt16 reads little-endian samples at any byte offset', () => {
  const bytes = new Uint8Array([0xff, 0x34, 0x12, 0x00, 0x80, 0x01]);
  assert.deepEqual(Array.from(bytesToInt16(bytes.subarray(1))), [0x1234, -32768]); // odd offset: copied
  const even = bytesToInt16(bytes.subarray(2, 6));
  assert.deepEqual(Array.from(even), [0x0012, 0x0180]);
  assert.equal(even.buffer, bytes.buffer); // even offset: a view, no copy
  assert.deepEqual(Array.from(bytesToInt16(new Uint8Array([1, 0, 7]))), [1]); // odd trailing byte dropped
});

test('chunks are scheduled back to back after a small lead, and the context is resumed', () => {
  const player = new PcmPlayer({ leadSeconds: 0.05 });
  assert.equal(player.play('s1', chunk(320)), true);
  player.play('s1', new Uint8Array(640 * 2));
  const context = FakeContext.last;
  assert.equal(context.state, 'running');
  assert.deepEqual(context.started.map((s) => s.when), [10.05, 10.07]);
  assert.ok(Math.abs(context.started[1].buffer.duration - 0.04) < 1e-12);
  assert.equal(context.started[0].buffer.sampleRate, 16000);
  assert.ok(Math.abs(context.started[0].buffer.getChannelData(0)[0] - 1000 / 32768) < 1e-7);
  assert.equal(player.isPlaying(), true);
});

test('after an underrun playback restarts just ahead of now, and onIdle fires when the queue drains', () => {
  const player = new PcmPlayer({ leadSeconds: 0.05 });
  let idle = 0;
  player.onIdle = () => { idle += 1; };
  player.play('s1', chunk(320));
  const context = FakeContext.last;
  const [first] = context.started;
  context.currentTime = 20;
  first.onended();
  assert.equal(idle, 1);
  assert.equal(player.isPlaying(), false);
  player.play('s1', chunk(320));
  assert.equal(context.started[1].when, 20.05);
});

test('stop() silences everything scheduled and drops late chunks of the stopped speech', () => {
  const player = new PcmPlayer();
  let idle = 0;
  player.onIdle = () => { idle += 1; };
  player.play('s1', chunk(320));
  player.play('s1', chunk(320));
  const context = FakeContext.last;
  player.stop('s2');
  assert.ok(context.started.every((s) => s.stopped));
  assert.equal(player.isPlaying(), false);
  assert.equal(idle, 0);
  assert.equal(player.play('s1', chunk(320)), false); // still in flight when the barge-in came
  assert.equal(player.play('s2', chunk(320)), false); // named by the barge-in before any of it arrived
  assert.equal(player.play('s3', chunk(320)), true);
  assert.equal(player.play('s3', new Int16Array(0)), false);
});
