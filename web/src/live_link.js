// The live-session WebSocket (docs/protocol.md, wire v1): msgpack maps over
// binary messages, the bearer token as a subprotocol. The link keeps every
// audio frame until the server acknowledges it; after a network blip it
// reconnects, resumes the session and resends from the server's next_seq,
// so nothing the candidate said is lost or counted twice. Sending is paced
// under the server's per-connection message rate.
import { encode, decode } from '@msgpack/msgpack';
import { TokenBucket } from './pacing.js';

const RATE_PER_S = 80;            // the server allows 100 messages/s
const BURST = 16;                 // 16 + 80 fit any one-second server window
const PING_EVERY_MS = 10_000;
const SILENT_SERVER_MS = 25_000;  // no message (not even a pong): the link is dead
const RETRY_MS = [250, 500, 1000, 2000, 3000, 5000, 5000, 8000, 8000, 10000, 10000];
const FATAL_FOR_GOOD = new Set(['not_found', 'unknown_question', 'limit', 'unauthorized', 'not_started']);

export class LiveLink {
  /**
   * onEvent(msg) gets every server message but acks and pongs;
   * onState(state, detail) gets 'connecting' | 'live' | 'reconnecting' | 'finished' | 'failed'.
   */
  constructor({ token, onEvent, onState }) {
    this.token_ = token;
    this.onEvent_ = onEvent;
    this.onState_ = onState || (() => {});
    this.sessionId = '';
    this.frames_ = [];      // unacknowledged frames, ascending seq: {seq, ts, pcm}
    this.nextSeq_ = 0;      // seq of the next frame captured
    this.sendSeq_ = 0;      // seq of the next frame to put on the wire
    this.bucket_ = new TokenBucket(RATE_PER_S, BURST, performance.now());
    this.ending_ = false;   // end requested: sent once every frame is out
    this.endSent_ = false;
    this.done_ = false;
    this.attempt_ = 0;
    this.stats = { sent: 0, resent: 0, reconnects: 0, acked: -1 };
  }

  start(question, { followups = true, voice = true, readPrompt = true } = {}) {
    this.startMsg_ = { t: 'start', question, followups, voice, read_prompt: readPrompt };
    this.open_();
    this.pump_ = setInterval(() => this.pumpFrames_(), 20);
    this.pinger_ = setInterval(() => this.keepAlive_(), PING_EVERY_MS / 2);
  }

  /** One frame of 16 kHz PCM16 mono (10–60 ms). */
  sendAudio(pcm) {
    if (this.ending_ || this.done_) return;
    this.frames_.push({ seq: this.nextSeq_++, ts: Math.round(performance.now()), pcm });
  }

  /** The candidate is done: every frame goes out, then `end`; the scorecard follows. */
  end() {
    this.ending_ = true;
  }

  /** Stops for good (leaving the page); the server keeps the session until its resume window ends. */
  close() {
    this.done_ = true;
    clearInterval(this.pump_);
    clearInterval(this.pinger_);
    clearTimeout(this.retry_);
    if (this.ws_) this.ws_.close(1000, 'bye');
  }

  /** For tests and the network-blip demo: drop the connection as a network failure would. */
  dropConnection() {
    if (this.ws_) this.ws_.close(4000, 'simulated network failure');
  }

  // -- connection ------------------------------------------------------------

  open_() {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/sessions/ws`;
    this.onState_(this.sessionId ? 'reconnecting' : 'connecting');
    const ws = new WebSocket(url, ['sof.v1', `bearer.${this.token_}`]);
    ws.binaryType = 'arraybuffer';
    this.ws_ = ws;
    this.live_ = false;
    ws.onopen = () => {
      this.lastHeard_ = performance.now();
      const start = this.sessionId ? { t: 'start', resume: this.sessionId } : this.startMsg_;
      this.send_(start);
    };
    ws.onmessage = (ev) => this.onMessage_(ev.data);
    ws.onclose = (ev) => this.onClose_(ev);
  }

  onClose_(ev) {
    if (this.ws_ && this.ws_.onclose) this.ws_.onclose = null;
    this.live_ = false;
    if (this.done_) return;
    if (!this.sessionId) {
      this.fail_(`the session could not be opened (connection closed: ${ev.code} ${ev.reason || ''})`);
      return;
    }
    if (this.attempt_ >= RETRY_MS.length) {
      this.fail_('the connection to the server is lost; your answer so far is stored and will be graded');
      return;
    }
    const wait = RETRY_MS[this.attempt_++];
    this.stats.reconnects++;
    this.onState_('reconnecting', { inMs: wait });
    this.retry_ = setTimeout(() => this.open_(), wait);
  }

  fail_(message) {
    this.close();
    this.onState_('failed', { message });
  }

  onMessage_(data) {
    this.lastHeard_ = performance.now();
    let m;
    try {
      m = decode(new Uint8Array(data));
    } catch (e) {
      console.warn('sof: undecodable server message', e);
      return;
    }
    if (!m || typeof m !== 'object') return;
    switch (m.t) {
      case 'started':
        this.sessionId = m.session_id;
        this.live_ = true;
        this.attempt_ = 0;
        if (m.resumed) this.rewind_(Number(m.next_seq));
        this.onState_('live', { resumed: !!m.resumed });
        break;
      case 'ack':
        this.forget_(Number(m.seq));
        return;
      case 'pong':
        return;
      case 'error':
        if (m.code === 'out_of_order' || m.code === 'rate') this.rewind_(this.stats.acked + 1);
        if (m.fatal && FATAL_FOR_GOOD.has(m.code)) {
          this.onEvent_(m);
          this.fail_(m.message || m.code);
          return;
        }
        break;
      case 'scorecard':
        this.onEvent_(m);
        this.close();
        this.onState_('finished');
        return;
      default:
        break;
    }
    this.onEvent_(m);
  }

  // -- frames ----------------------------------------------------------------

  forget_(seq) {
    this.stats.acked = Math.max(this.stats.acked, seq);
    let i = 0;
    while (i < this.frames_.length && this.frames_[i].seq <= seq) i++;
    if (i) this.frames_.splice(0, i);
  }

  /** The server has everything below `seq`: send again from there. */
  rewind_(seq) {
    this.forget_(seq - 1);
    this.stats.resent += Math.max(0, this.sendSeq_ - seq);
    this.sendSeq_ = seq;
    // `end` is acknowledged with the last frame: without that ack it may
    // not have arrived, and a second `end` is harmless.
    if (this.endSent_ && this.stats.acked < this.nextSeq_ - 1) this.endSent_ = false;
  }

  pumpFrames_() {
    if (!this.live_ || this.ws_.readyState !== WebSocket.OPEN) return;
    const now = performance.now();
    for (;;) {
      const f = this.frames_.find((x) => x.seq >= this.sendSeq_);
      if (!f || !this.bucket_.take(now)) break;
      this.send_({ t: 'audio', seq: f.seq, ts: f.ts, pcm: new Uint8Array(f.pcm.buffer, f.pcm.byteOffset, f.pcm.byteLength) });
      this.sendSeq_ = f.seq + 1;
      this.stats.sent++;
    }
    if (this.ending_ && !this.endSent_ && this.sendSeq_ >= this.nextSeq_ && this.bucket_.take(now)) {
      this.send_({ t: 'end' });
      this.endSent_ = true;
    }
  }

  keepAlive_() {
    if (!this.live_ || this.ws_.readyState !== WebSocket.OPEN) return;
    if (performance.now() - this.lastHeard_ > SILENT_SERVER_MS) {
      this.dropConnection();  // half-open connection: reconnect
      return;
    }
    // A ping waits for a token like any message (the next tick retries).
    if (this.bucket_.take(performance.now())) this.send_({ t: 'ping', id: Math.floor(performance.now()) >>> 0 });
  }

  send_(m) {
    this.ws_.send(encode({ v: 1, ...m }));
  }
}
