// The app shell: sign-in, then hash routes
//   #/practice            pick a question
//   #/practice/ID         practise it
//   #/sessions/ID         a session's scorecard
//   #/history             past sessions and progress
import { auth, takeTokenFromFragment, completeOidcLogin } from './auth.js';
import { authConfig } from './api.js';
import { toast } from './dom.js';
import { renderSignIn } from './views/signin.js';
import { renderPicker } from './views/picker.js';
import { renderPractice, leavePractice, current } from './views/practice.js';
import { renderScorecard } from './views/scorecard.js';
import { renderHistory } from './views/history.js';

const main = document.getElementById('main');
let config = null;

async function route() {
  const nav = document.getElementById('nav');
  if (!auth.signedIn()) {
    leavePractice();
    nav.hidden = true;
    renderSignIn(main, config);
    return;
  }
  nav.hidden = false;
  document.getElementById('who').textContent = auth.who();
  const [, page = 'practice', arg = ''] = location.hash.split('/');
  const id = decodeURIComponent(arg);
  for (const a of nav.querySelectorAll('[data-nav]'))
    a.toggleAttribute('aria-current', a.dataset.nav === page || (page === 'sessions' && a.dataset.nav === 'history'));
  if (!(page === 'practice' && id)) leavePractice();
  try {
    if (page === 'practice' && id) await renderPractice(main, id);
    else if (page === 'sessions' && id) await renderScorecard(main, id);
    else if (page === 'history') await renderHistory(main);
    else await renderPicker(main);
  } catch (e) {
    toast(e.message, 'error', 10000);
    main.textContent = `Something went wrong: ${e.message}`;
  }
}

async function boot() {
  try {
    config = await authConfig();
  } catch {
    config = null;  // older server: offer the token form
  }
  takeTokenFromFragment();
  try {
    await completeOidcLogin();
  } catch (e) {
    toast(e.message, 'error', 15000);
  }
  auth.onChange(() => route());
  document.getElementById('sign-out').addEventListener('click', () => auth.signOut());
  // A #token= link opened in a tab already showing the app is a hash change, not a load.
  window.addEventListener('hashchange', () => { if (!takeTokenFromFragment()) route(); });
  window.addEventListener('beforeunload', (e) => {
    if (current && current.live) e.preventDefault();
  });
  await route();
}

// For the end-to-end test and for debugging from the console.
window.sof = { get session() { return current; } };

boot();
