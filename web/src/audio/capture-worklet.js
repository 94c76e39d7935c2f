// AudioWorklet processor 'sof-capture': copies the microphone's render quanta
// into ~20 ms batches and posts each batch, with its RMS level, to the main
// thread, which resamples and frames it (see mic.js). It imports nothing: the
// app loads it as a separate static asset with audioWorklet.addModule().
//
// Messages posted: { samples: Float32Array (transferred), rms: number }.
// Message accepted: 'stop' -> the processor ends and lets itself be collected.

const BATCH_SECONDS = 0.02;

class SofCaptureProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    // sampleRate is a global of the AudioWorklet scope: the context's rate.
    this.batchLength = Math.ceil(sampleRate * BATCH_SECONDS);
    this.batch = new Float32Array(this.batchLength);
    this.filled = 0;
    this.stopped = false;
    this.port.onmessage = (event) => {
      if (event.data === 'stop') {
        this.stopped = true;
        this.port.close();
      }
    };
  }

  // The input arrays are reused by the engine after process() returns, so the
  // samples are copied; a quantum that overflows the batch spills into the next.
  process(inputs) {
    if (this.stopped) return false;
    // The node is mono (channelCount 1, explicit), so channel 0 is the mix.
    // Before the source is connected, the input has no channels at all.
    const channel = inputs[0] && inputs[0][0];
    if (!channel) return true;
    let offset = 0;
    while (offset < channel.length) {
      const take = Math.min(this.batchLength - this.filled, channel.length - offset);
      this.batch.set(channel.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.batchLength) this.post();
    }
    return true;
  }

  post() {
    const samples = this.batch;
    let energy = 0;
    for (let i = 0; i < samples.length; i += 1) energy += samples[i] * samples[i];
    const rms = Math.sqrt(energy / samples.length);
    // Transferring hands the buffer over without a copy; a fresh one follows.
    this.port.postMessage({ samples, rms }, [samples.buffer]);
    this.batch = new Float32Array(this.batchLength);
    this.filled = 0;
  }
}

registerProcessor('sof-capture', SofCaptureProcessor);
