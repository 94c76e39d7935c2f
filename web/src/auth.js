// Sign-in: a development token (minted by `sof token`, or handed over in
// the URL fragment by `make run`) or an OIDC authorization-code + PKCE login
// against the configured issuer. The token is kept in sessionStorage (this
// tab only) and sent as a bearer to the API and as a subprotocol to the
// WebSocket.
const KEY = 'sof.token';
const PENDING = 'sof.oidc.pending';

const listeners = new Set();

/** The payload of a JWT, or null for other credentials (API keys). Display only: the server verifies. */
export function jwtClaims(token) {
  const parts = (token || '').split('.');
  if (parts.length !== 3) return null;
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
  } catch {
    return null;
  }
}

export const auth = {
  token: () => sessionStorage.getItem(KEY) || '',
  signedIn() {
    const t = this.token();
    if (!t) return false;
    const c = jwtClaims(t);
    return !(c && typeof c.exp === 'number' && c.exp * 1000 < Date.now());
  },
  who() {
    const c = jwtClaims(this.token());
    if (!c) return 'API key';
    return [c.name || c.email || c.sub, c.tenant].filter(Boolean).join(' · ');
  },
  set(token) {
    sessionStorage.setItem(KEY, token.trim());
    listeners.forEach((f) => f(true));
  },
  signOut() {
    sessionStorage.removeItem(KEY);
    listeners.forEach((f) => f(false));
  },
  /** The server said 401: the token is no longer good. */
  expired() {
    if (this.token()) this.signOut();
  },
  onChange: (f) => listeners.add(f),
};

/** `make run` prints http://host/#token=... : take it and clean the URL. */
export function takeTokenFromFragment() {
  const m = location.hash.match(/^#token=([A-Za-z0-9._~+/=-]+)$/);
  if (!m) return false;
  auth.set(decodeURIComponent(m[1]));
  history.replaceState(null, '', `${location.pathname}#/practice`);
  return true;
}

// -- OIDC authorization code + PKCE (RFC 7636) ------------------------------

function b64url(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const randomString = (n = 32) => b64url(crypto.getRandomValues(new Uint8Array(n)));

export async function pkceChallenge(verifier) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return b64url(new Uint8Array(digest));
}

async function discover(issuer) {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let res;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new Error(`the identity provider cannot be reached at ${url} (${e.message})`);
  }
  if (!res.ok) throw new Error(`the identity provider's discovery document answered HTTP ${res.status}`);
  const doc = await res.json();
  if (!doc.authorization_endpoint || !doc.token_endpoint)
    throw new Error('the discovery document has no authorization or token endpoint');
  return doc;
}

const redirectUri = () => `${location.origin}/`;

/** Leaves the page for the identity provider's login. */
export async function beginOidcLogin(oidc) {
  if (!crypto.subtle) throw new Error('sign-in needs a secure context (https or localhost)');
  const doc = await discover(oidc.issuer);
  const pending = {
    verifier: randomString(48),
    state: randomString(16),
    nonce: randomString(16),
    tokenEndpoint: doc.token_endpoint,
    clientId: oidc.client_id,
    which: oidc.token || 'access_token',
  };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: oidc.client_id,
    redirect_uri: redirectUri(),
    scope: oidc.scopes || 'openid profile email',
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await pkceChallenge(pending.verifier),
    code_challenge_method: 'S256',
  });
  if (oidc.audience) q.set('audience', oidc.audience);
  location.assign(`${doc.authorization_endpoint}?${q}`);
}

/**
 * Back from the identity provider with ?code=&state= (or ?error=): exchanges
 * the code for tokens. Returns true when a login was completed, false when
 * this page load is not a login callback; throws with a readable message.
 */
export async function completeOidcLogin() {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return false;
  const pendingText = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', `${location.pathname}#/practice`);
  if (params.has('error'))
    throw new Error(`sign-in refused: ${params.get('error_description') || params.get('error')}`);
  if (!pendingText) throw new Error('sign-in callback without a pending login: start again');
  const pending = JSON.parse(pendingText);
  if (params.get('state') !== pending.state) throw new Error('sign-in state mismatch: start again');
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: params.get('code'),
    redirect_uri: redirectUri(),
    client_id: pending.clientId,
    code_verifier: pending.verifier,
  });
  const res = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`the token exchange failed: ${json.error_description || json.error || res.status}`);
  const token = json[pending.which];
  if (!token) throw new Error(`the identity provider returned no ${pending.which}`);
  if (json.id_token) {
    const claims = jwtClaims(json.id_token);
    if (!claims || claims.nonce !== pending.nonce) throw new Error('sign-in nonce mismatch: start again');
  }
  auth.set(token);
  return true;
}
