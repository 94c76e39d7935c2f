// Sign-in: the identity provider (OIDC + PKCE) when configured, or a
// development token from `sof token` / the line `make run` prints.
import { auth, beginOidcLogin } from '../auth.js';
import { h, clear, toast } from '../dom.js';

export function renderSignIn(main, config) {
  const tokenInput = h('textarea', { id: 'token', rows: 4, spellcheck: 'false', autocomplete: 'off',
    placeholder: 'eyJhbGciOi…', 'aria-describedby': 'token-help' });
  const devForm = h('form', { class: 'panel', id: 'dev-signin', onsubmit: (e) => {
    e.preventDefault();
    const t = tokenInput.value.trim();
    if (!/^[A-Za-z0-9._~+/=-]{8,8192}$/.test(t)) {
      toast('That does not look like a token: paste the whole line `sof token` printed.', 'error');
      tokenInput.focus();
      return;
    }
    auth.set(t);
  } },
    h('h2', {}, 'Development token'),
    h('label', { for: 'token' }, 'Token'),
    tokenInput,
    h('p', { class: 'muted', id: 'token-help' },
      'Mint one with ', h('code', {}, 'sof token --tenant dev --user you'),
      ', or open the link ', h('code', {}, 'make run'), ' prints.'),
    h('button', { type: 'submit', class: 'button primary', id: 'token-submit' }, 'Sign in with token'));
  const oidc = config && config.oidc;
  // Element.append(null) writes the text "null": leave absent parts out.
  clear(main).append(...[
    h('section', { class: 'page-head signin' },
      h('h1', {}, 'Sign in'),
      h('p', { class: 'lede' }, 'Practise system-design interviews out loud and get a Scale or Fail scorecard.')),
    oidc
      ? h('section', { class: 'panel' },
          h('h2', {}, 'Your organisation'),
          h('button', { type: 'button', class: 'button primary big', id: 'oidc-signin', onclick: async (e) => {
            e.target.disabled = true;
            try { await beginOidcLogin(oidc); } catch (err) { toast(err.message, 'error', 10000); e.target.disabled = false; }
          } }, `Sign in with ${new URL(oidc.issuer).host}`))
      : null,
    config && config.dev_tokens === false && oidc ? null : devForm].filter(Boolean));
  (main.querySelector('#oidc-signin') || tokenInput).focus();
}
