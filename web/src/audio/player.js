// Gapless playback of the interviewer's voice: PCM16 16 kHz mono chunks
// (20 ms each on the wire) become AudioBuffers scheduled back to back on one
// AudioContext, so chunk boundaries are sample-accurate instead of depending
// on when each network message happens to arrive.

import { pcm16ToFloat } from './resample.js';

const VOICE_RATE = 16000;

// Little-endian PCM16 bytes as samples. Int16Array reads the platform's byte
// order, which is little-endian on every platform browsers run on. A view
// needs a 2-aligned byteOffset, which a slice of a larger message (msgpack
// bin) need not have; then the bytes are copied. An odd trailing byte is dropped.
export function bytesToInt16(bytes) {
  const count = bytes.byteLength >> 1;
  if (bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, count);
  return new Int16Array(bytes.slice(0, count * 2).buffer);
}

function toSamples(chunk) {
  if (chunk instanceof Int16Array) return chunk;
  if (chunk instanceof ArrayBuffer) return bytesToInt16(new Uint8Array(chunk));
  return bytesToInt16(chunk);
}

export class PcmPlayer {
  // Called when the last scheduled buffer finishes on its own: the end of a
  // speech, or a network underrun. Not after stop(): its caller already knows.
  onIdle = null;

  #context = null;
  #leadSeconds;
  #sources = new Set();
  #nextStart = 0;
  // Speeches cut off by stop(): their chunks still in flight are dropped so a
  // barged-in speech does not resume. Speech ids are unique (the follow-up's
  // turn), so every speech heard since the last stop() is cut off by the next.
  #stoppedSpeeches = new Set();
  #heardSpeeches = new Set();

  // leadSeconds: how far ahead of "now" a chunk starts when nothing is queued,
  // so the first chunk is not scheduled in the past while the engine renders.
  constructor({ leadSeconds = 0.04 } = {}) {
    this.#leadSeconds = leadSeconds;
  }

  // Schedules one chunk of speech speechId; returns false if it was dropped
  // (empty, or its speech was stopped).
  play(speechId, chunk) {
    const samples = toSamples(chunk);
    if (samples.length === 0 || this.#stoppedSpeeches.has(speechId)) return false;
    const context = this.#ensureContext();
    // Autoplay policy starts a context made outside a user gesture suspended;
    // resume() succeeds once the page has had one (the candidate's start click).
    if (context.state === 'suspended') context.resume();

    const buffer = context.createBuffer(1, samples.length, VOICE_RATE);
    buffer.getChannelData(0).set(pcm16ToFloat(samples));
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(context.destination);
    // After an underrun the queue has drained: restart just ahead of now
    // rather than in the past, which would skip the chunk's beginning.
    const startAt = Math.max(context.currentTime + this.#leadSeconds, this.#nextStart);
    source.start(startAt);
    this.#nextStart = startAt + buffer.duration;
    this.#sources.add(source);
    this.#heardSpeeches.add(speechId);
    source.onended = () => this.#ended(source);
    return true;
  }

  // Barge-in: silences every scheduled chunk now and drops later chunks of
  // the speeches heard so far, and of speechId if given (a barge_in can name a
  // speech none of whose audio has arrived yet).
  stop(speechId) {
    if (speechId !== undefined) this.#stoppedSpeeches.add(speechId);
    for (const heard of this.#heardSpeeches) this.#stoppedSpeeches.add(heard);
    this.#heardSpeeches.clear();
    for (const source of this.#sources) {
      source.onended = null;
      source.stop();
      source.disconnect();
    }
    this.#sources.clear();
    this.#nextStart = 0;
  }

  isPlaying() {
    return this.#sources.size > 0;
  }

  #ensureContext() {
    this.#context ??= new AudioContext();
    return this.#context;
  }

  #ended(source) {
    source.disconnect();
    this.#sources.delete(source);
    if (this.#sources.size === 0) this.onIdle?.();
  }
}
