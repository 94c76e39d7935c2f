// Microphone capture: getUserMedia -> AudioWorklet ('sof-capture', posting
// ~20 ms float batches) -> Resampler to 16 kHz -> PCM16 -> fixed frames.
// The resampling runs here on the main thread so the worklet stays a single
// import-free file; at 16 kHz mono that costs well under 1% of a core.

import { Framer, Resampler, floatToPcm16 } from './resample.js';

const OUTPUT_RATE = 16000;

// Turns getUserMedia's DOMExceptions into messages a candidate can act on,
// keeping the original as the cause for the console.
function describeMediaError(error) {
  const messages = {
    NotAllowedError: 'Microphone access was denied. Allow the microphone for this site (the icon in the address bar) and try again.',
    SecurityError: 'Microphone access was denied. Allow the microphone for this site (the icon in the address bar) and try again.',
    NotFoundError: 'No microphone was found. Connect one (or enable it in the system settings) and try again.',
    OverconstrainedError: 'No microphone was found that can record mono audio. Connect another microphone and try again.',
    NotReadableError: 'The microphone could not be started: another application may be using it.',
  };
  return new Error(messages[error?.name] ?? `The microphone could not be started: ${error?.message ?? error}`, { cause: error });
}

// A browser can leave a step of audio start-up pending for ever (a device
// that never opens, an audio service that is not running): each step gets a
// deadline so the candidate sees which one failed instead of a dead button.
const STEP_DEADLINE_MS = 10000;
function step(promise, what) {
  let timer;
  const late = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what} did not finish within ${STEP_DEADLINE_MS / 1000} s`)), STEP_DEADLINE_MS);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

// Checked before asking for permission, so an unusable page never prompts.
function assertSupported() {
  if (!globalThis.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
    throw new Error('Microphone capture needs a secure page: open the app at http://localhost or over https.');
  }
  if (typeof AudioWorkletNode === 'undefined') {
    throw new Error('This browser does not support AudioWorklet; use a current Chrome, Edge, Firefox or Safari.');
  }
}

export async function startMic({ onFrame, onLevel, workletUrl = 'capture-worklet.js', frameSamples = 320 } = {}) {
  assertSupported();
  let stream;
  try {
    stream = await step(navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    }), 'opening the microphone');
  } catch (error) {
    throw describeMediaError(error);
  }

  // Created after getUserMedia: iOS Safari switches its audio session to
  // record mode on capture, and a context made before that can run at a stale
  // rate. A capturing page may start audio without a fresh user gesture. The
  // context keeps the device's default rate: Firefox refuses to connect a
  // MediaStream source to a context forced to another rate, so the 16 kHz
  // conversion is done by the Resampler instead.
  const context = new AudioContext();
  let source;
  let node;
  try {
    await step(context.audioWorklet.addModule(workletUrl), 'loading the capture worklet');
    source = context.createMediaStreamSource(stream);
    // Mono in, explicitly: a stereo device is down-mixed by the graph. The one
    // (silent) output goes to the destination because some engines (Safari)
    // only run processors that the destination pulls.
    node = new AudioWorkletNode(context, 'sof-capture', {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      channelCount: 1,
      channelCountMode: 'explicit',
    });
    source.connect(node);
    node.connect(context.destination);
    await step(context.resume(), 'starting the audio device');
  } catch (error) {
    stream.getTracks().forEach((track) => track.stop());
    context.close();
    throw new Error(`Audio capture could not start: ${error.message}`, { cause: error });
  }

  const resampler = new Resampler(context.sampleRate, OUTPUT_RATE);
  const framer = new Framer(frameSamples);
  node.port.onmessage = ({ data }) => {
    onLevel?.(data.rms);
    for (const frame of framer.push(floatToPcm16(resampler.push(data.samples)))) onFrame?.(frame);
  };

  let stopped = false;
  return {
    sampleRate: context.sampleRate,
    deviceLabel: stream.getAudioTracks()[0]?.label ?? '',
    // Idempotent; the partial last frame is dropped since frames must be full.
    stop() {
      if (stopped) return Promise.resolve();
      stopped = true;
      node.port.onmessage = null;
      node.port.postMessage('stop');
      source.disconnect();
      node.disconnect();
      stream.getTracks().forEach((track) => track.stop());
      return context.close();
    },
  };
}
