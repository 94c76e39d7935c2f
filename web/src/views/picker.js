// Pick a question: filter by track and difficulty, search by words.
import { api } from '../api.js';
import { h, clear, titleCase } from '../dom.js';

const state = { track: '', difficulty: '', text: '' };

export async function renderPicker(main) {
  clear(main).append(h('p', { class: 'muted' }, 'Loading questions…'));
  const questions = await api.questions();
  const tracks = [...new Set(questions.map((q) => q.track))].sort();
  const levels = ['easy', 'medium', 'hard'].filter((d) => questions.some((q) => q.difficulty === d));
  const others = [...new Set(questions.map((q) => q.difficulty))].filter((d) => !levels.includes(d));
  const list = h('ul', { class: 'cards', id: 'question-list', 'aria-live': 'polite' });
  const count = h('p', { class: 'muted', id: 'question-count' });

  const select = (id, label, values, key) =>
    h('label', { class: 'field' }, label,
      h('select', { id, onchange: (e) => { state[key] = e.target.value; refresh(); } },
        h('option', { value: '' }, 'All'),
        values.map((v) => h('option', { value: v, selected: state[key] === v }, titleCase(v)))));

  function refresh() {
    const words = state.text.toLowerCase().split(/\s+/).filter(Boolean);
    const shown = questions.filter((q) =>
      (!state.track || q.track === state.track) &&
      (!state.difficulty || q.difficulty === state.difficulty) &&
      words.every((w) => `${q.title} ${q.prompt} ${q.id}`.toLowerCase().includes(w)));
    clear(list).append(...shown.map(card));
    count.textContent = `${shown.length} of ${questions.length} questions`;
  }

  clear(main).append(
    h('section', { class: 'page-head' },
      h('h1', {}, 'Practise out loud'),
      h('p', { class: 'lede' },
        'Pick a question. The interviewer reads it, you answer with your microphone, ',
        'and it asks follow-ups when you pause. Finish to get a Scale or Fail scorecard.')),
    h('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() },
      select('filter-track', 'Track', tracks, 'track'),
      select('filter-difficulty', 'Difficulty', [...levels, ...others], 'difficulty'),
      h('label', { class: 'field grow' }, 'Search',
        h('input', { id: 'filter-text', type: 'search', value: state.text, placeholder: 'e.g. cache, payments',
          oninput: (e) => { state.text = e.target.value; refresh(); } }))),
    count, list);
  refresh();
}

function card(q) {
  const mins = Math.round(q.time_limit_s / 60);
  return h('li', { class: 'card question', dataset: { question: q.id } },
    h('h2', {}, q.title),
    h('p', { class: 'tags' },
      h('span', { class: 'tag' }, titleCase(q.track)),
      h('span', { class: `tag level-${q.difficulty}` }, titleCase(q.difficulty)),
      h('span', { class: 'tag' }, `${mins} min`)),
    h('p', { class: 'prompt-excerpt' }, q.prompt.length > 220 ? `${q.prompt.slice(0, 220)}…` : q.prompt),
    h('a', { class: 'button primary', href: `#/practice/${encodeURIComponent(q.id)}`,
      'aria-label': `Practise: ${q.title}` }, 'Practise this'));
}
