import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Framer, Resampler, floatToPcm16, pcm16ToFloat } from '../../../web/src/audio/resample.js';

function sine(frequency, rate, seconds, amplitude = 0.8) {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i += 1) out[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / rate);
  return out;
}

function rms(samples) {
  let energy = 0;
  for (const s of samples) energy += s * s;
  return Math.sqrt(energy / samples.length);
}

function zeroCrossings(samples) {
  let crossings = 0;
  for (let i = 1; i < samples.length; i += 1) if ((samples[i - 1] < 0) !== (samples[i] < 0)) crossings += 1;
  return crossings;
}

// Deterministic PRNG (mulberry32) so a failure reproduces.
function random(seed) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pushInBlocks(resampler, input, nextSize) {
  const parts = [];
  for (let offset = 0; offset < input.length;) {
    const size = Math.min(nextSize(), input.length - offset);
    parts.push(resampler.push(input.subarray(offset, offset + size)));
    offset += size;
  }
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

const WARM_UP = 200; // output samples (12.5 ms): well past the filter's 63 taps

test('48 kHz -> 16 kHz keeps a 1 kHz tone: amplitude within 5%, same frequency', () => {
  const out = new Resampler(48000, 16000).push(sine(1000, 48000, 1));
  const steady = out.subarray(WARM_UP, out.length - WARM_UP);
  const peak = Math.max(...steady.map(Math.abs));
  assert.ok(Math.abs(peak - 0.8) / 0.8 < 0.05, `peak ${peak}`);
  assert.ok(Math.abs(rms(steady) - 0.8 / Math.SQRT2) / (0.8 / Math.SQRT2) < 0.05, `rms ${rms(steady)}`);
  const expected = (2 * 1000 * steady.length) / 16000; // two crossings per period
  assert.ok(Math.abs(zeroCrossings(steady) - expected) <= 2, `crossings ${zeroCrossings(steady)} vs ${expected}`);
});

test('48 kHz -> 16 kHz attenuates a 12 kHz tone (which would alias to 4 kHz) by more than 20 dB', () => {
  const input = sine(12000, 48000, 1);
  const out = new Resampler(48000, 16000).push(input);
  const steady = out.subarray(WARM_UP, out.length - WARM_UP);
  const attenuationDb = 20 * Math.log10(rms(steady) / rms(input));
  assert.ok(attenuationDb < -20, `attenuation ${attenuationDb.toFixed(1)} dB`);
});

test('44.1 kHz -> 16 kHz attenuates a 9 kHz tone (aliasing to 7 kHz) by more than 20 dB', () => {
  const input = sine(9000, 44100, 1);
  const steady = new Resampler(44100, 16000).push(input).subarray(WARM_UP);
  assert.ok(20 * Math.log10(rms(steady) / rms(input)) < -20);
});

for (const inRate of [48000, 44100]) {
  test(`${inRate} Hz: random block sizes give the same output as one block`, () => {
    const next = random(inRate);
    const input = new Float32Array(inRate / 2).map(() => next() * 2 - 1);
    const whole = new Resampler(inRate).push(input);
    const blocks = pushInBlocks(new Resampler(inRate), input, () => 1 + Math.floor(next() * 700));
    assert.equal(blocks.length, whole.length);
    let worst = 0;
    for (let i = 0; i < whole.length; i += 1) worst = Math.max(worst, Math.abs(whole[i] - blocks[i]));
    assert.ok(worst < 1e-6, `max difference ${worst}`);
  });
}

test('44.1 kHz -> 16 kHz output length follows the rate ratio, in one block or in render quanta', () => {
  const input = sine(440, 44100, 3);
  const expected = (input.length * 16000) / 44100;
  const whole = new Resampler(44100, 16000).push(input);
  assert.ok(Math.abs(whole.length - expected) <= 2, `length ${whole.length} vs ${expected}`);
  const quanta = pushInBlocks(new Resampler(44100, 16000), input, () => 128);
  assert.ok(Math.abs(quanta.length - expected) <= 2, `length ${quanta.length} vs ${expected}`);
});

test('equal rates pass samples through unchanged', () => {
  const input = sine(1000, 16000, 0.1);
  const out = new Resampler(16000, 16000).push(input);
  assert.deepEqual(Array.from(out), Array.from(input));
});

test('upsampling 8 kHz -> 16 kHz doubles the length and keeps a 500 Hz tone', () => {
  const out = new Resampler(8000, 16000).push(sine(500, 8000, 0.5));
  assert.ok(Math.abs(out.length - 8000) <= 2, `length ${out.length}`);
  assert.ok(Math.abs(zeroCrossings(out) - 500) <= 2);
});

test('floatToPcm16 scales and clips; pcm16ToFloat inverts it', () => {
  assert.deepEqual(Array.from(floatToPcm16(new Float32Array([1.5, -1.5, 1, -1, 0, 0.5, -0.5]))),
    [32767, -32768, 32767, -32768, 0, 16384, -16384]);
  assert.deepEqual(Array.from(floatToPcm16(new Float32Array([NaN]))), [0]);
  const back = pcm16ToFloat(new Int16Array([32767, -32768, 0, 16384]));
  assert.deepEqual(Array.from(back), [32767 / 32768, -1, 0, 0.5]);
});

test('Framer emits whole frames in order and keeps the remainder', () => {
  const framer = new Framer(320);
  const ramp = new Int16Array(700).map((_, i) => i);
  const frames = framer.push(ramp);
  assert.equal(frames.length, 2);
  assert.deepEqual(frames.map((f) => f.length), [320, 320]);
  assert.equal(frames[0][0], 0);
  assert.equal(frames[1][319], 639);
  // 60 pending + 260 new = exactly one more frame, continuing the ramp.
  const next = framer.push(new Int16Array(260).map((_, i) => 700 + i));
  assert.equal(next.length, 1);
  assert.equal(next[0][0], 640);
  assert.equal(next[0][319], 959);
  assert.equal(framer.flush(), null);
  assert.deepEqual(framer.push(new Int16Array([1, 2, 3])), []);
  assert.deepEqual(Array.from(framer.flush()), [1, 2, 3]);
  assert.equal(framer.flush(), null);
});

test('Framer frames are copies, not views of its buffer', () => {
  const framer = new Framer(4);
  const [first] = framer.push(new Int16Array([1, 2, 3, 4]));
  framer.push(new Int16Array([9, 9, 9, 9]));
  assert.deepEqual(Array.from(first), [1, 2, 3, 4]);
});
