// Tiny DOM helpers. Everything the server or the candidate says is put in
// the page as text nodes, never as HTML: transcripts are untrusted input.

/** h('div', {class: 'x', onclick: f}, 'text', child, [more]) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** An element holding trusted SVG markup produced by charts.js (which escapes its text). */
export function svgBlock(markup, cls = 'chart') {
  const el = document.createElement('div');
  el.className = cls;
  el.innerHTML = markup;
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function toast(message, kind = 'info', ms = 5000) {
  const box = document.getElementById('toasts');
  const t = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : undefined }, message);
  box.append(t);
  setTimeout(() => t.remove(), ms);
}

export function fmtClock(seconds) {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function fmtDate(ms) {
  if (!ms) return '';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export const titleCase = (s) => (s ? s[0].toUpperCase() + s.slice(1).replace(/_/g, ' ') : '');

/**
 * A transcript text with the words the recogniser was unsure of marked by a
 * dotted underline, a "?" and (for screen readers) the word "uncertain":
 * never by colour alone. `words` are [{word, confidence, uncertain}] from the
 * server; when they do not spell `text` (a second-pass recogniser replaced
 * it), the text is shown as it is. `extra` marks further words (a quote's).
 */
export function markedWords(text, words = [], extra = []) {
  const list = Array.isArray(words) ? words : [];
  const spelled = list.map((w) => w.word).join(' ');
  const doubtful = new Set(extra);
  const tokens = list.length && spelled === text
    ? list.map((w) => ({ word: w.word, uncertain: !!w.uncertain, confidence: w.confidence }))
    : String(text).split(/\s+/).filter(Boolean).map((w) => ({ word: w, uncertain: doubtful.has(w.toLowerCase()) }));
  const out = [];
  tokens.forEach((t, i) => {
    if (i) out.push(' ');
    if (!t.uncertain) { out.push(t.word); return; }
    const pct = typeof t.confidence === 'number' ? ` (confidence ${Math.round(t.confidence * 100)}%)` : '';
    out.push(h('span', { class: 'uncertain', title: `The recogniser was unsure of this word${pct}` },
      t.word, h('sup', { 'aria-hidden': 'true' }, '?'), h('span', { class: 'sr-only' }, ' (uncertain)')));
  });
  return out;
}
