// A live practice session: the question, the microphone, the live
// transcript, the interviewer's spoken follow-ups, rubric coverage so far
// and the clock. Finishing (or the time limit) grades the answer; the
// scorecard page takes over.
import { api } from '../api.js';
import { auth } from '../auth.js';
import { LiveLink } from '../live_link.js';
import { startMic } from '../audio/mic.js';
import { PcmPlayer } from '../audio/player.js';
import { h, clear, toast, fmtClock, titleCase, markedWords } from '../dom.js';

const FRAME_SAMPLES = 640;  // 40 ms per message: 25 messages/s, well under the server's limit

/** The session on screen, for leaving the page and for tests (window.sof.session). */
export let current = null;

export function leavePractice() {
  if (current) current.dispose();
  current = null;
}

export async function renderPractice(main, questionId) {
  leavePractice();
  const questions = await api.questions();
  const q = questions.find((x) => x.id === questionId);
  if (!q) {
    clear(main).append(h('p', { class: 'error' }, `No question '${questionId}'. `, h('a', { href: '#/practice' }, 'Pick another.')));
    return;
  }
  current = new PracticeSession(main, q);
}

class PracticeSession {
  constructor(main, q) {
    this.q_ = q;
    this.limitS_ = q.time_limit_s;
    this.player_ = new PcmPlayer();
    this.player_.onIdle = () => this.speaking_(false);
    this.partials_ = new Map();  // utt -> element
    this.stats = { voiceChunks: 0, bargeIns: 0, followups: 0, segments: 0, coverage: 0 };
    this.build_(main);
  }

  build_(main) {
    const el = (tag, attrs, ...c) => h(tag, attrs, ...c);
    this.startBtn_ = el('button', { type: 'button', class: 'button primary big', id: 'start', onclick: () => this.start_() }, 'Start answering');
    this.finishBtn_ = el('button', { type: 'button', class: 'button big', id: 'finish', disabled: true, onclick: () => this.finish_('you finished') }, 'Finish and grade');
    this.state_ = el('span', { class: 'pill', id: 'link-state', role: 'status' }, 'not started');
    this.meter_ = el('meter', { id: 'level', min: 0, max: 1, value: 0, 'aria-label': 'Microphone level' });
    this.clock_ = el('span', { class: 'clock', id: 'clock', 'aria-live': 'off' }, `0:00 / ${fmtClock(this.limitS_)}`);
    this.clockBar_ = el('progress', { id: 'clock-bar', max: this.limitS_, value: 0, 'aria-label': 'Time used' });
    this.transcript_ = el('ol', { class: 'transcript', id: 'transcript', 'aria-live': 'polite' });
    this.followups_ = el('ol', { class: 'followups', id: 'followups', 'aria-live': 'polite' });
    this.coverage_ = el('ul', { class: 'coverage', id: 'coverage' });
    this.interviewer_ = el('p', { class: 'speaking', id: 'speaking', hidden: true }, 'The interviewer is speaking — just start talking to interrupt.');
    clear(main).append(
      el('section', { class: 'page-head practice-head' },
        el('p', { class: 'crumbs' }, el('a', { href: '#/practice' }, 'Questions'), ' / ', titleCase(this.q_.track)),
        el('h1', {}, this.q_.title),
        el('blockquote', { class: 'prompt', id: 'prompt' }, this.q_.prompt)),
      el('section', { class: 'controls', 'aria-label': 'Session controls' },
        this.startBtn_, this.finishBtn_,
        el('label', { class: 'meter' }, 'Mic ', this.meter_),
        el('span', { class: 'timer' }, this.clock_, this.clockBar_),
        this.state_),
      el('div', { class: 'practice-grid' },
        el('section', { class: 'panel', 'aria-labelledby': 'h-transcript' },
          el('h2', { id: 'h-transcript' }, 'Live transcript'),
          el('p', { class: 'muted hint', id: 'transcript-hint' }, 'Your words appear here as you speak.'),
          this.transcript_),
        el('aside', { class: 'side' },
          el('section', { class: 'panel', 'aria-labelledby': 'h-interviewer' },
            el('h2', { id: 'h-interviewer' }, 'Interviewer'), this.interviewer_, this.followups_),
          el('section', { class: 'panel', 'aria-labelledby': 'h-coverage' },
            el('h2', { id: 'h-coverage' }, 'Covered so far'),
            el('p', { class: 'muted hint' }, 'Rubric points your answer has touched, per dimension.'),
            this.coverage_))));
    this.startBtn_.focus();
  }

  async start_() {
    this.startBtn_.disabled = true;
    this.link_ = new LiveLink({
      token: auth.token(),
      onEvent: (m) => this.onEvent_(m),
      onState: (s, d) => this.onState_(s, d),
    });
    try {
      this.mic_ = await startMic({
        frameSamples: FRAME_SAMPLES,
        onFrame: (pcm) => this.link_.sendAudio(pcm),
        onLevel: (rms) => { this.meter_.value = Math.min(1, rms * 4); },
      });
    } catch (e) {
      this.startBtn_.disabled = false;
      toast(e.message, 'error', 10000);
      return;
    }
    console.info(`sof: microphone started (${this.mic_.sampleRate} Hz, ${this.mic_.deviceLabel || 'unnamed device'})`);
    this.link_.start(this.q_.id, { followups: true, voice: true, readPrompt: true });
    this.startBtn_.hidden = true;
    this.finishBtn_.disabled = false;
    this.finishBtn_.focus();
  }

  finish_(why) {
    if (this.finishing_ || !this.link_) return;
    this.finishing_ = true;
    this.finishBtn_.disabled = true;
    this.finishBtn_.textContent = 'Grading…';
    if (this.mic_) this.mic_.stop();
    this.mic_ = null;
    this.player_.stop();
    this.link_.end();
    toast(`Grading your answer (${why})…`);
  }

  onState_(s, detail = {}) {
    if (this.disposed_) return;
    const text = { connecting: 'connecting', live: 'live', reconnecting: 'reconnecting…', finished: 'graded', failed: 'disconnected' }[s] || s;
    this.state_.textContent = text;
    this.state_.className = `pill ${s}`;
    if (s === 'live' && !this.clockTimer_) {
      this.t0_ = performance.now();
      this.clockTimer_ = setInterval(() => this.tick_(), 250);
    }
    if (s === 'live' && detail.resumed) toast('Reconnected: nothing you said was lost.');
    if (s === 'failed') {
      toast(detail.message || 'the session failed', 'error', 15000);
      this.stopLocal_();
      this.finishBtn_.textContent = 'Session ended';
    }
  }

  tick_() {
    const used = (performance.now() - this.t0_) / 1000;
    this.clock_.textContent = `${fmtClock(used)} / ${fmtClock(this.limitS_)}`;
    this.clockBar_.value = Math.min(used, this.limitS_);
    this.clock_.classList.toggle('late', used > this.limitS_ * 0.8);
    if (used >= this.limitS_) this.finish_('the time is up');
  }

  onEvent_(m) {
    if (this.disposed_) return;
    switch (m.t) {
      case 'started':
        document.getElementById('prompt').textContent = m.question.prompt;
        break;
      case 'partial': this.partial_(m.utt, m.text); break;
      case 'segment': this.segment_(m); break;
      case 'followup': this.followup_(m); break;
      case 'voice':
        this.stats.voiceChunks++;
        this.speaking_(true);
        this.player_.play(m.speech_id, m.pcm);
        break;
      case 'barge_in':
        this.stats.bargeIns++;
        this.player_.stop(m.speech_id);
        this.speaking_(false);
        break;
      case 'coverage': this.stats.coverage++; this.coverage_update_(m.dimensions || []); break;
      case 'scorecard': this.scorecard_(m); break;
      case 'error':
        if (!m.fatal && m.code !== 'out_of_order' && m.code !== 'rate') toast(`${m.code}: ${m.message}`, 'error');
        if (m.fatal) toast(m.message || m.code, 'error', 15000);
        break;
      default: break;
    }
  }

  partial_(utt, text) {
    if (!text) return;
    let li = this.partials_.get(utt);
    if (!li) {
      li = h('li', { class: 'partial', dataset: { utt } });
      this.partials_.set(utt, li);
      this.transcript_.append(li);
      document.getElementById('transcript-hint').hidden = true;
    }
    li.textContent = text;
    li.scrollIntoView({ block: 'nearest' });
  }

  segment_(m) {
    // Idempotent per utterance: a resumed session may repeat an event.
    let li = this.partials_.get(m.utt) || this.transcript_.querySelector(`li.final[data-utt="${Number(m.utt)}"]`);
    if (!li) {
      li = h('li', {});
      this.transcript_.append(li);
    }
    if (!li.classList.contains('final')) this.stats.segments++;
    this.partials_.delete(m.utt);
    li.className = 'final';
    li.dataset.utt = m.utt;
    li.replaceChildren(h('time', {}, fmtClock(m.start_ms / 1000)), ' ', ...markedWords(m.text, m.words));
    document.getElementById('transcript-hint').hidden = true;
    li.scrollIntoView({ block: 'nearest' });
  }

  followup_(m) {
    if (!m.text) return;
    this.stats.followups++;
    for (const old of this.followups_.querySelectorAll('.latest')) old.classList.remove('latest');
    this.followups_.append(h('li', { class: `latest ${m.action}` }, m.text));
  }

  coverage_update_(dims) {
    clear(this.coverage_).append(...dims.map((d) => {
      const frac = d.total > 0 ? d.covered / d.total : 0;
      return h('li', { class: frac >= 0.5 ? 'good' : frac > 0 ? 'some' : 'none', dataset: { dimension: d.name } },
        h('span', { class: 'name' }, titleCase(d.name)),
        h('progress', { max: 1, value: frac, 'aria-label': `${titleCase(d.name)} covered` }),
        h('span', { class: 'num' }, `${Math.round(frac * 100)}%`));
    }));
  }

  speaking_(on) {
    this.interviewer_.hidden = !on;
  }

  scorecard_(m) {
    this.stopLocal_();
    const id = this.link_.sessionId;
    if (m.status !== 'completed' || !m.scorecard || !m.scorecard.verdict)
      toast(`The session ended (${m.status}) without a grade; the transcript is kept.`, 'error', 10000);
    location.hash = `#/sessions/${encodeURIComponent(id)}`;
  }

  stopLocal_() {
    clearInterval(this.clockTimer_);
    if (this.mic_) this.mic_.stop();
    this.mic_ = null;
    this.player_.stop();
  }

  /**
   * Leaving the page mid-answer: what was said is sent, then `end`, so the
   * answer is graded and stored (see History); this page stops listening.
   */
  dispose() {
    this.disposed_ = true;
    this.stopLocal_();
    if (this.link_ && !this.finishing_) this.link_.end();
  }

  get live() { return !!this.link_ && !this.finishing_ && !this.disposed_; }

  get sessionId() { return this.link_ ? this.link_.sessionId : ''; }
  get link() { return this.link_; }
}
