// Past sessions, progress per dimension over time, and deleting a session.
import { api } from '../api.js';
import { lineChartSvg, sparklineSvg } from '../charts.js';
import { h, clear, svgBlock, fmtDate, titleCase, toast } from '../dom.js';

export async function renderHistory(main) {
  clear(main).append(h('p', { class: 'muted' }, 'Loading your sessions…'));
  const [page, progress] = await Promise.all([api.sessions(20), api.progress(50)]);
  const rows = h('tbody', {});
  const table = h('table', { class: 'sessions', id: 'sessions' },
    h('caption', { class: 'sr-only' }, 'Your sessions, newest first'),
    h('thead', {}, h('tr', {}, ['When', 'Question', 'Status', 'Verdict', 'Score', ''].map((t) => h('th', { scope: 'col' }, t)))),
    rows);
  let cursor = page.next_cursor;
  const more = h('button', { type: 'button', class: 'button', hidden: !cursor, onclick: async () => {
    more.disabled = true;
    try {
      const next = await api.sessions(20, cursor);
      rows.append(...next.sessions.map((s) => row(s, rows)));
      cursor = next.next_cursor;
      more.hidden = !cursor;
    } catch (e) {
      toast(e.message, 'error');
    }
    more.disabled = false;
  } }, 'Load older sessions');
  rows.append(...page.sessions.map((s) => row(s, rows)));
  clear(main).append(
    h('section', { class: 'page-head' }, h('h1', {}, 'History'),
      h('p', { class: 'lede' }, 'How your answers score over time, per dimension.')),
    progressSection(progress),
    h('section', { 'aria-labelledby': 'h-sessions' },
      h('h2', { id: 'h-sessions' }, 'Sessions'),
      page.sessions.length ? table : h('p', { class: 'muted', id: 'no-sessions' }, 'No sessions yet. ', h('a', { href: '#/practice' }, 'Practise one.')),
      more));
}

function progressSection(points) {
  const names = [];
  for (const p of points) for (const n of Object.keys(p.dimensions || {})) if (!names.includes(n)) names.push(n);
  const series = names.map((n) => ({ name: titleCase(n), points: points.map((p, i) => ({ x: i, y: p.dimensions[n] ?? null })) }));
  series.push({ name: 'Overall ÷ 10', points: points.map((p, i) => ({ x: i, y: p.overall / 10 })) });
  // Days apart: the date says enough; within a few days, the time tells sessions apart.
  const span = points.length > 1 ? points[points.length - 1].created_ms - points[0].created_ms : 0;
  const fmt = span > 3 * 86400e3 ? { month: 'short', day: 'numeric' } : { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' };
  const xLabels = points.map((p) => new Date(p.created_ms).toLocaleString(undefined, fmt));
  const overall = points.map((p) => p.overall);
  return h('section', { class: 'progress', 'aria-labelledby': 'h-progress' },
    h('h2', { id: 'h-progress' }, 'Progress'),
    points.length
      ? h('p', { class: 'muted' }, `${points.length} graded session${points.length === 1 ? '' : 's'}; `,
          `${points.filter((p) => p.verdict === 'scale').length} scaled. Overall trend: `,
          svgBlock(sparklineSvg(overall, { width: 120, height: 28 }), 'spark'))
      : null,
    svgBlock(lineChartSvg(points.length ? series : [], { width: 720, height: 280, yMax: 10, xLabels }), 'chart line'));
}

function row(s, rows) {
  const tr = h('tr', { dataset: { session: s.id } },
    h('td', {}, fmtDate(s.created_ms)),
    h('td', {}, h('a', { href: `#/sessions/${encodeURIComponent(s.id)}` }, s.question_title || s.question_id)),
    h('td', {}, titleCase(s.status)),
    h('td', {}, s.verdict ? h('span', { class: `badge ${s.verdict}` }, titleCase(s.verdict)) : '—'),
    h('td', { class: 'num' }, s.verdict ? String(Math.round(s.overall)) : '—'),
    h('td', {}, h('button', { type: 'button', class: 'link danger', 'aria-label': `Delete the session of ${fmtDate(s.created_ms)}`,
      onclick: async () => {
        if (!confirm(`Delete this session (${s.question_title}, ${fmtDate(s.created_ms)})? Its transcript and scorecard are erased.`)) return;
        try {
          await api.deleteSession(s.id);
          tr.remove();
          toast('Session deleted.');
          window.dispatchEvent(new HashChangeEvent('hashchange'));  // progress changed too
        } catch (e) {
          toast(`Could not delete: ${e.message}`, 'error');
        }
      } }, 'Delete')));
  return tr;
}
