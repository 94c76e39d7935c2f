// One session's result: verdict, the six dimensions as a chart, evidence in
// the candidate's own words (click to jump to that moment of the
// transcript), what was missing, knowledge-base citations, delivery, and
// the follow-ups asked. Also the page for a past session from History.
import { api } from '../api.js';
import { radarSvg } from '../charts.js';
import { h, clear, svgBlock, fmtClock, fmtDate, titleCase, toast, markedWords } from '../dom.js';

export async function renderScorecard(main, id) {
  clear(main).append(h('p', { class: 'muted' }, 'Loading the session…'));
  const d = await api.session(id);
  const card = d.scorecard;
  const segs = d.segments || [];
  const graded = card && card.verdict;
  clear(main).append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/history' }, 'History'), ' / ', fmtDate(d.session.created_ms)),
    h('div', { class: 'summary' },
      graded ? verdictBanner(card, d.session) : ungraded(d.session),
      card && card.dimensions ? chartSection(card) : null),
    graded ? improvementsSection(card) : null,
    card && card.dimensions ? h('section', { class: 'details', 'aria-label': 'Dimension details' }, card.dimensions.map(dimensionCard)) : null,
    deliverySection((card && card.delivery) || d.delivery),
    followupsSection(d.followups || []),
    transcriptSection(segs),
    h('p', { class: 'actions' },
      h('a', { class: 'button primary', href: `#/practice/${encodeURIComponent(d.session.question_id)}` }, 'Try this question again'),
      h('a', { class: 'button', href: '#/practice' }, 'Another question')));
  const banner = main.querySelector('.verdict, .ungraded');
  if (banner) banner.focus();
}

function verdictBanner(card, s) {
  const scale = card.verdict === 'scale';
  return h('section', { class: `verdict ${scale ? 'scale' : 'fail'}`, id: 'verdict', tabindex: '-1', 'aria-label': 'Verdict' },
    h('p', { class: 'question-title' }, card.question_title || s.question_title),
    h('p', { class: 'verdict-word' }, scale ? 'Scale' : 'Fail'),
    h('p', { class: 'overall' }, h('strong', {}, `${Math.round(card.overall)}`), ' / 100'),
    h('p', { class: 'reason' }, card.reason),
    typeof card.relevance === 'number' && card.relevance < 1
      ? h('p', { class: 'relevance' },
        `Relevance to this question: ${card.relevance.toFixed(2)} — the score is at most ${Math.round(10 + 90 * card.relevance)}.`,
        card.unmentioned && card.unmentioned.length ? ` Never mentioned: ${card.unmentioned.join(', ')}.` : '')
      : null,
    card.unavailable && card.unavailable.length
      ? h('p', { class: 'warn' }, `Not graded (a grader could not finish): ${card.unavailable.map(titleCase).join(', ')}. They are left out of the score, not counted as zero.`)
      : null);
}

function improvementsSection(card) {
  if (!card.improvements || !card.improvements.length) return null;
  return h('section', { class: 'improvements panel', 'aria-labelledby': 'h-improve' },
    h('h2', { id: 'h-improve' }, 'What would move the needle'),
    h('ol', {}, card.improvements.map((t) => h('li', {}, t))));
}

function ungraded(s) {
  return h('section', { class: 'ungraded', tabindex: '-1' },
    h('h1', {}, s.question_title),
    h('p', {}, `This session is ${s.status} and has no grade${s.error ? `: ${s.error}` : '.'}`),
    h('p', { class: 'muted' }, 'What you said is kept below.'));
}

function chartSection(card) {
  const dims = card.dimensions.map((x) => ({ name: titleCase(x.name), score: x.status === 'ok' ? x.score : null }));
  return h('section', { class: 'dimensions', 'aria-labelledby': 'h-dims' },
    h('h2', { id: 'h-dims' }, 'The six dimensions'),
    h('div', { class: 'dims-layout' },
      svgBlock(radarSvg(dims, { size: 300, max: 10 }), 'chart radar'),
      h('table', { class: 'scores' },
        h('caption', { class: 'sr-only' }, 'Scores per dimension, out of 10'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Dimension'), h('th', { scope: 'col' }, 'Score'))),
        h('tbody', {}, card.dimensions.map((x) => h('tr', {},
          h('th', { scope: 'row' }, h('a', { href: `#dim-${x.name}`, onclick: jumpTo(`dim-${x.name}`) }, titleCase(x.name))),
          h('td', {}, x.status === 'ok' ? x.score.toFixed(1) : 'n/a')))))));
}

function dimensionCard(x) {
  return h('article', { class: `dimension ${x.status}`, id: `dim-${x.name}`, tabindex: '-1' },
    h('h3', {}, titleCase(x.name), ' ', h('span', { class: 'score' }, x.status === 'ok' ? `${x.score.toFixed(1)} / 10` : 'unavailable')),
    x.note ? h('p', { class: 'note' }, x.note) : null,
    x.evidence && x.evidence.length
      ? h('div', {}, h('h4', {}, 'In your words'),
          h('ul', { class: 'evidence' }, x.evidence.map((e) => h('li', {},
            h('button', { type: 'button', class: 'quote', title: `Jump to ${fmtClock(e.start)} in the transcript`,
              onclick: () => jumpToTime(e.start) },
              h('q', {}, ...markedWords(e.quote, [], e.uncertain || [])), ' ', h('time', {}, fmtClock(e.start))),
            heardNotes(e.heard)))))
      : null,
    x.missing && x.missing.length
      ? h('div', {}, h('h4', {}, 'Missing'),
          h('ul', { class: 'missing' }, x.missing.map((m) => h('li', {},
            h('span', {}, m.point), m.followup ? h('span', { class: 'muted' }, ` — an interviewer would ask: “${m.followup}”`) : null))))
      : null,
    x.citations && x.citations.length
      ? h('div', {}, h('h4', {}, 'Read more'),
          h('ul', { class: 'citations' }, x.citations.map((c) => h('li', {},
            h('cite', {}, c.heading || c.source), h('blockquote', {}, c.text),
            h('p', { class: 'attribution' }, c.attribution ? `${c.attribution} — ` : '', h('code', {}, c.source))))))
      : null);
}

function deliverySection(dl) {
  if (!dl) return null;
  const fillerWords = dl.filler_words && Object.keys(dl.filler_words).length
    ? Object.entries(dl.filler_words).sort((a, b) => b[1] - a[1]).map(([w, n]) => `${w} ×${n}`).join(', ')
    : null;
  const stat = (label, value, hint) => h('div', { class: 'stat' }, h('dt', {}, label), h('dd', {}, value), hint ? h('dd', { class: 'muted' }, hint) : null);
  const wpm = Math.round(dl.words_per_minute || 0);
  return h('section', { class: 'delivery', 'aria-labelledby': 'h-delivery' },
    h('h2', { id: 'h-delivery' }, 'Delivery'),
    h('dl', { class: 'stats', id: 'delivery-stats' },
      stat('Pace', `${wpm} wpm`, wpm === 0 ? null : wpm < 110 ? 'slow: keep it moving' : wpm > 180 ? 'fast: slow down for the interviewer' : 'comfortable'),
      stat('Speaking', fmtClock(dl.speaking_seconds || 0), dl.audio_seconds ? `of ${fmtClock(dl.audio_seconds)}` : null),
      stat('Words', String(dl.words || 0)),
      stat('Fillers', String(dl.fillers ?? 0), fillerWords),
      stat('Pauses', String(dl.pauses || 0), dl.longest_pause_seconds ? `longest ${dl.longest_pause_seconds.toFixed(1)} s` : null)));
}

function followupsSection(fus) {
  const asked = fus.filter((f) => f.text);
  return h('section', { class: 'asked', 'aria-labelledby': 'h-asked' },
    h('h2', { id: 'h-asked' }, 'The interviewer asked'),
    asked.length
      ? h('ol', { class: 'followups' }, asked.map((f) => h('li', { class: f.action },
          h('button', { type: 'button', class: 'link', onclick: () => jumpToTime(f.at_ms / 1000) }, h('time', {}, fmtClock(f.at_ms / 1000))), ' ', f.text)))
      : h('p', { class: 'muted' }, 'No follow-up questions in this session.'));
}

function transcriptSection(segs) {
  return h('section', { class: 'panel', 'aria-labelledby': 'h-full-transcript' },
    h('h2', { id: 'h-full-transcript' }, 'Transcript'),
    segs.length
      ? h('ol', { class: 'transcript full', id: 'full-transcript' }, segs.map((s) =>
          h('li', { id: `t-${s.utt}`, tabindex: '-1', dataset: { start: s.start_ms, end: s.end_ms } },
            h('time', {}, fmtClock(s.start_ms / 1000)), ' ', ...markedWords(s.text, s.words))))
      : h('p', { class: 'muted' }, 'Nothing was transcribed.'));
}

const jumpTo = (id) => (e) => {
  e.preventDefault();
  const el = document.getElementById(id);
  if (el) { el.scrollIntoView({ behavior: 'smooth', block: 'start' }); el.focus({ preventScroll: true }); }
};

/** The transcript line said at `seconds` (or the nearest one), highlighted and focused. */
function jumpToTime(seconds) {
  const ms = seconds * 1000;
  const lines = [...document.querySelectorAll('#full-transcript li')];
  if (!lines.length) return toast('No transcript to jump to.');
  let best = lines[0];
  let bestDist = Infinity;
  for (const li of lines) {
    const a = Number(li.dataset.start);
    const b = Number(li.dataset.end);
    const dist = ms < a ? a - ms : ms > b ? ms - b : 0;
    if (dist < bestDist) { best = li; bestDist = dist; }
  }
  for (const li of document.querySelectorAll('#full-transcript .highlight')) li.classList.remove('highlight');
  best.classList.add('highlight');
  best.scrollIntoView({ behavior: 'smooth', block: 'center' });
  best.focus({ preventScroll: true });
}

/** A rubric word the recogniser heard as another word (or only in its
 * second guesses): the quote stays as recognised, this says what counted. */
function heardNotes(heard) {
  if (!Array.isArray(heard) || !heard.length) return null;
  return h('span', { class: 'heard' }, heard.map((m) =>
    `${m.how === 'sound' ? 'heard' : 'the recogniser’s second guess'} “${m.heard}”, counted as “${m.term}”`).join('; '));
}
