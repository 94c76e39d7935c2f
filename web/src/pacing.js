// Send pacing: a token bucket refilled by the time that passed, not by
// timer ticks. Browsers throttle a background tab's timers to once a second
// or less, and a per-tick refill then let 1.6 frames/s of 50 out; by
// elapsed time the bucket refills in full whenever it is asked. It is
// never negative: a message that finds no token waits for one.

export class TokenBucket {
  /** `ratePerS` tokens a second, at most `burst` held; `now` in ms. */
  constructor(ratePerS, burst, now) {
    if (!(ratePerS > 0) || !(burst >= 1)) throw new Error(`bad token bucket: ${ratePerS}/s, burst ${burst}`);
    this.rate_ = ratePerS;
    this.burst_ = burst;
    this.tokens_ = burst;
    this.at_ = now;
  }

  /** Whole tokens available at `now`. */
  available(now) {
    this.refill_(now);
    return Math.floor(this.tokens_);
  }

  /** Takes a token if there is one at `now`. */
  take(now) {
    this.refill_(now);
    if (this.tokens_ < 1) return false;
    this.tokens_ -= 1;
    return true;
  }

  refill_(now) {
    // A clock that went back (a test, a suspended tab) adds nothing.
    const elapsed = Math.max(0, now - this.at_);
    this.at_ = Math.max(this.at_, now);
    this.tokens_ = Math.min(this.burst_, this.tokens_ + (elapsed * this.rate_) / 1000);
  }
}
