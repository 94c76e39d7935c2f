// Microphone audio arrives at the device rate (44.1 or 48 kHz, sometimes
// more); the server wants PCM16 at 16 kHz in 20 ms frames. Everything here is
// pure and streaming so it runs on the main thread and in node tests alike.

// The pass band ends a little below the output Nyquist frequency so the
// filter's transition band is mostly above it and little aliases back.
const CUTOFF_FRACTION = 0.9;
// Taps per unit of decimation ratio: the transition band of a windowed sinc is
// ~5.5 * inRate / taps wide, so scaling taps with the ratio keeps it a fixed
// fraction of the output rate (63 taps at 48 kHz -> 16 kHz).
const TAPS_PER_RATIO = 21;
const MIN_TAPS = 31;
const MAX_TAPS = 127;

// Blackman-windowed sinc low-pass, normalised to unity gain at DC.
function designLowPass(taps, cutoff) {
  const middle = (taps - 1) / 2;
  const h = new Float64Array(taps);
  let sum = 0;
  for (let k = 0; k < taps; k += 1) {
    const t = k - middle;
    const sinc = t === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
    const phase = (2 * Math.PI * k) / (taps - 1);
    const window = 0.42 - 0.5 * Math.cos(phase) + 0.08 * Math.cos(2 * phase);
    h[k] = sinc * window;
    sum += h[k];
  }
  for (let k = 0; k < taps; k += 1) h[k] /= sum;
  return h;
}

function oddTapCount(ratio) {
  const taps = Math.min(MAX_TAPS, Math.max(MIN_TAPS, Math.round(ratio * TAPS_PER_RATIO)));
  return taps % 2 === 1 ? taps : taps + 1; // odd length: symmetric, whole-sample delay
}

export class Resampler {
  #inRate;
  #outRate;
  #taps = null; // null when upsampling: there is nothing to alias, so no filter
  #history = null; // the last taps-1 input samples, carried into the next block
  // Position of the next output sample, in filtered input samples relative to
  // the start of the next block, times outRate. Kept as an exact integer so
  // the output never drifts and is identical however the input is split.
  #position = 0;
  #previous = 0; // last filtered sample of the previous block (index -1)

  constructor(inRate, outRate = 16000) {
    this.#inRate = Math.round(inRate);
    this.#outRate = Math.round(outRate);
    if (!(this.#inRate > 0 && this.#outRate > 0)) throw new RangeError(`bad sample rates ${inRate} -> ${outRate}`);
    if (this.#inRate > this.#outRate) {
      const ratio = this.#inRate / this.#outRate;
      this.#taps = designLowPass(oddTapCount(ratio), (CUTOFF_FRACTION * this.#outRate) / 2 / this.#inRate);
      this.#history = new Float64Array(this.#taps.length - 1);
    }
  }

  // Returns the output samples this block completes; with equal rates the
  // input array itself is returned.
  push(input) {
    if (this.#inRate === this.#outRate) return input;
    const filtered = this.#taps ? this.#filter(input) : input;
    return this.#interpolate(filtered);
  }

  #filter(input) {
    const taps = this.#taps;
    const keep = this.#history.length;
    const buffer = new Float64Array(keep + input.length);
    buffer.set(this.#history);
    buffer.set(input, keep);
    const out = new Float64Array(input.length);
    for (let i = 0; i < input.length; i += 1) {
      let acc = 0;
      for (let k = 0; k < taps.length; k += 1) acc += taps[k] * buffer[i + k];
      out[i] = acc;
    }
    this.#history = buffer.slice(buffer.length - keep);
    return out;
  }

  // Linear interpolation between filtered samples at fractional positions
  // stepping by inRate/outRate. An output may need the last sample of the
  // previous block (index -1), which #previous keeps.
  #interpolate(filtered) {
    const n = filtered.length;
    const outRate = this.#outRate;
    const limit = (n - 1) * outRate; // positions must stay before the last sample
    const out = new Float32Array(Math.max(0, Math.ceil((limit - this.#position) / this.#inRate)));
    let count = 0;
    let position = this.#position;
    for (; position < limit; position += this.#inRate) {
      const index = Math.floor(position / outRate);
      const fraction = (position - index * outRate) / outRate;
      const a = index < 0 ? this.#previous : filtered[index];
      out[count] = a + (filtered[index + 1] - a) * fraction;
      count += 1;
    }
    if (n > 0) {
      this.#position = position - n * outRate;
      this.#previous = filtered[n - 1];
    }
    return count === out.length ? out : out.slice(0, count);
  }
}

// Float [-1, 1] to PCM16, clipping out-of-range samples (a hot microphone can
// exceed 1.0) rather than letting the integer conversion wrap around.
export function floatToPcm16(samples) {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i += 1) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    out[i] = Math.round(s < 0 ? s * 32768 : s * 32767);
  }
  return out;
}

export function pcm16ToFloat(samples) {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i += 1) out[i] = samples[i] / 32768;
  return out;
}

// Cuts a stream of PCM16 samples into fixed-size frames; samples that do not
// yet fill a frame wait for the next push.
export class Framer {
  #pending;
  #filled = 0;

  constructor(samplesPerFrame = 320) {
    if (!(Number.isInteger(samplesPerFrame) && samplesPerFrame > 0)) throw new RangeError(`bad frame size ${samplesPerFrame}`);
    this.#pending = new Int16Array(samplesPerFrame);
  }

  push(samples) {
    const frames = [];
    const size = this.#pending.length;
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(size - this.#filled, samples.length - offset);
      this.#pending.set(samples.subarray(offset, offset + take), this.#filled);
      this.#filled += take;
      offset += take;
      if (this.#filled === size) {
        frames.push(this.#pending.slice());
        this.#filled = 0;
      }
    }
    return frames;
  }

  // The incomplete remainder (unpadded), or null when there is none.
  flush() {
    if (this.#filled === 0) return null;
    const rest = this.#pending.slice(0, this.#filled);
    this.#filled = 0;
    return rest;
  }
}
