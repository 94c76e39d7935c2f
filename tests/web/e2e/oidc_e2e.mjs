// Browser sign-in end to end: OIDC authorization code + PKCE in a real
// browser (Debian's Chromium, headless, driven by playwright-core) against
// `sof serve` on loopback and a loopback identity provider that speaks the
// real protocol (oidc_provider.py: discovery, login page, token endpoint,
// RS256 tokens, JWKS).
//
//   node oidc_e2e.mjs --sof build/bin/sof --work DIR
//        [--chromium /usr/bin/chromium] [--python python3]
//        [--web-dir DIR]   (default: the bundle `make build` writes)
//
// Development tokens are off, so the sign-in page offers only the
// organisation's login. Checks, in order:
//  - the provider is not a rubber stamp: a bad authorization request is
//    refused (redirect with invalid_request, or 400 for a foreign
//    redirect_uri), the token endpoint refuses a wrong PKCE verifier and a
//    reused code, and the server refuses its id_token (wrong audience) and a
//    forged signature, while accepting its access token;
//  - the page's CSP lets the browser reach the issuer and nothing else;
//  - the UI: Sign in → the provider's page → "Continue as alice" → back,
//    signed in (questions, tenant shown), the callback URL cleaned, History
//    loads through the API with the provider's token; sign out;
//  - a callback whose state was tampered with is refused without spending
//    the code, and replaying the real callback afterwards is refused too;
//  - a provider that refuses (Deny → error=access_denied) shows the error and
//    does not sign in;
//  - no console errors; no requests to anywhere but the server and the issuer.
// Screenshots of every failure go to WORK/failure-*.png; the server's and the
// provider's logs to WORK/oidc-serve.log and WORK/oidc-provider.log.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, scaled, trial, launch, launchServer, launchChromium, strayValues } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = parseArgs();
const sof = resolve(args.sof || 'build/bin/sof');
const work = resolve(args.work || '/tmp/sof-oidc-e2e');
const chromiumPath = args.chromium || '/usr/bin/chromium';
const python = args.python || 'python3';
mkdirSync(work, { recursive: true });

const CLIENT = 'sof-web';
const AUDIENCE = 'https://api.sof.test';

const t = trial();
const { log } = t;
const check = (cond, what) => t.check(cond, what);
const b64url = (buf) => buf.toString('base64url');
const claimsOf = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

// -- the identity provider ----------------------------------------------------
const providerErr = [];
const prov = launch('the OIDC provider', python,
  [join(here, 'oidc_provider.py'), '--client-id', CLIENT, '--audience', AUDIENCE,
    '--tenant', 'acme', '--user', 'alice'], /^(\d+)\n/, providerErr);
let server = null;
const serverErr = [];
let browser = null;
let page = null;
let failed = false;

// One authorization from node, as a client would: the login page's allow
// button, then the code from the redirect.
async function authorizeFromNode(issuerBase, redirectUri, challenge) {
  const q = new URLSearchParams({ response_type: 'code', client_id: CLIENT, redirect_uri: redirectUri,
    scope: 'openid profile', state: 'node-state', nonce: 'node-nonce', code_challenge: challenge,
    code_challenge_method: 'S256' });
  const login = await fetch(`${issuerBase}/authorize?${q}`, { redirect: 'manual' });
  check(login.status === 200, `the login page is shown (${login.status})`);
  const rid = (await login.text()).match(/name="request" value="([^"]+)"/)[1];
  const back = await fetch(`${issuerBase}/authorize/decision`, { method: 'POST', redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ request: rid, decision: 'allow' }) });
  check(back.status === 303, `the decision redirects (${back.status})`);
  const loc = new URL(back.headers.get('location'));
  check(loc.origin + loc.pathname === redirectUri && loc.searchParams.get('state') === 'node-state',
    `the redirect goes back to the client with the state (${loc})`);
  return loc.searchParams.get('code');
}
const tokenRequest = (issuerBase, fields) => fetch(`${issuerBase}/token`, { method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ grant_type: 'authorization_code', client_id: CLIENT, ...fields }) });

try {
  const providerPort = await prov.ready;
  const issuer = `http://127.0.0.1:${providerPort}/`;
  const issuerBase = issuer.replace(/\/$/, '');
  log(`OIDC provider at ${issuer}`);

  // -- the server -------------------------------------------------------------
  t.step = 'start sof serve';
  const cfg = join(work, 'oidc-serve.toml');
  writeFileSync(cfg, [
    '[auth]',
    `issuer = "${issuer}"`,
    `audience = "${AUDIENCE}"`,
    `jwks_url = "${issuerBase}/jwks"`,
    'tenant_claim = "tenant"',
    `oidc_client_id = "${CLIENT}"`,
    'oidc_token = "access_token"',
    'hs256_secret = ""',
    ...(args['web-dir'] ? ['[server]', `web_dir = "${resolve(args['web-dir'])}"`] : []),
    ''].join('\n'));
  const data = join(work, 'oidc-data');
  rmSync(data, { recursive: true, force: true });
  const srv = launchServer(sof, data, cfg, serverErr);
  server = srv.child;
  const port = await srv.ready;
  const base = `http://127.0.0.1:${port}`;
  const redirectUri = `${base}/`;
  log(`sof serve on ${base}`);

  // -- the protocol, from node -----------------------------------------------
  t.step = 'the provider refuses bad requests';
  const doc = await (await fetch(`${issuerBase}/.well-known/openid-configuration`)).json();
  check(doc.issuer === issuer && doc.code_challenge_methods_supported.includes('S256'), 'discovery');
  const noPkce = await fetch(`${issuerBase}/authorize?${new URLSearchParams({ response_type: 'code',
    client_id: CLIENT, redirect_uri: redirectUri, scope: 'openid', state: 's1', nonce: 'n1' })}`, { redirect: 'manual' });
  const noPkceTo = new URL(noPkce.headers.get('location') || 'http://x/');
  check(noPkce.status === 303 && noPkceTo.searchParams.get('error') === 'invalid_request'
    && noPkceTo.searchParams.get('state') === 's1', `no code_challenge: invalid_request back to the client (${noPkce.status} ${noPkceTo})`);
  const foreign = await fetch(`${issuerBase}/authorize?${new URLSearchParams({ response_type: 'code',
    client_id: CLIENT, redirect_uri: 'https://evil.example/', scope: 'openid', state: 's', nonce: 'n',
    code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' })}`, { redirect: 'manual' });
  check(foreign.status === 400 && !foreign.headers.get('location'), `a foreign redirect_uri is a 400, never a redirect (${foreign.status})`);

  t.step = 'PKCE is checked';
  const verifier = b64url(randomBytes(48));
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  let code = await authorizeFromNode(issuerBase, redirectUri, challenge);
  let res = await tokenRequest(issuerBase, { code, redirect_uri: redirectUri, code_verifier: b64url(randomBytes(48)) });
  check(res.status === 400 && (await res.json()).error === 'invalid_grant', `a wrong code_verifier is refused (${res.status})`);
  code = await authorizeFromNode(issuerBase, redirectUri, challenge);
  res = await tokenRequest(issuerBase, { code, redirect_uri: `${base}/other`, code_verifier: verifier });
  check(res.status === 400, `a different redirect_uri is refused (${res.status})`);
  code = await authorizeFromNode(issuerBase, redirectUri, challenge);
  res = await tokenRequest(issuerBase, { code, redirect_uri: redirectUri, code_verifier: verifier });
  check(res.status === 200 && res.headers.get('access-control-allow-origin') === '*', `the right verifier gets tokens (${res.status})`);
  const tokens = await res.json();
  res = await tokenRequest(issuerBase, { code, redirect_uri: redirectUri, code_verifier: verifier });
  check(res.status === 400, `a code is single use (${res.status})`);

  t.step = 'the server verifies the provider\'s tokens';
  const call = (tok) => fetch(`${base}/v1/questions`, { headers: { Authorization: `Bearer ${tok}` } });
  check((await call(tokens.access_token)).status === 200, 'the access token is accepted (RS256 via jwks_url)');
  const wrongAud = await call(tokens.id_token);
  check(wrongAud.status === 401, `the id_token (aud = the client) is refused (${wrongAud.status})`);
  const [h64, , sig] = tokens.access_token.split('.');
  const forgedClaims = b64url(Buffer.from(JSON.stringify({ ...claimsOf(tokens.access_token), tenant: 'initech' })));
  const forged = await call(`${h64}.${forgedClaims}.${sig}`);
  check(forged.status === 401, `a token with altered claims is refused (${forged.status})`);
  check(claimsOf(tokens.id_token).nonce === 'node-nonce', 'the id_token carries the nonce');

  // -- the browser -------------------------------------------------------------
  browser = await launchChromium(chromiumPath);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
  const elsewhere = [];
  const tokenCalls = [];
  page.on('request', (r) => {
    const u = r.url();
    if (u.startsWith(`${issuerBase}/token`)) tokenCalls.push(u);
    if (!u.startsWith(`${base}/`) && !u.startsWith(`ws://127.0.0.1:${port}/`) && !u.startsWith(`${issuerBase}/`)) elsewhere.push(u);
  });
  const storedToken = () => page.evaluate(() => sessionStorage.getItem('sof.token') || '');
  const signedOutPage = async () => {
    await page.locator('#oidc-signin').waitFor();
    check(await storedToken() === '', 'no token is stored');
    check(await page.locator('#question-list').count() === 0, 'the questions are not shown');
    check(!new URL(page.url()).search, `the callback parameters are cleaned from the URL (${page.url()})`);
  };

  t.step = 'the sign-in page';
  const first = await page.goto(base);
  const csp = (await first.allHeaders())['content-security-policy'] || '';
  const connect = (csp.match(/connect-src ([^;]*)/) || [])[1];
  check(connect === `'self' ws: wss: http://127.0.0.1:${providerPort}`, `connect-src names the issuer's origin only (${connect})`);
  await page.locator('#oidc-signin').waitFor();
  check((await page.textContent('#oidc-signin')).includes(`127.0.0.1:${providerPort}`), 'the button names the issuer');
  check(await page.locator('#dev-signin, #token').count() === 0, 'no development-token form when hs256_secret is empty');
  const stray = await strayValues(page);
  check(stray.length === 0, `the sign-in page shows "${stray.join('", "')}"`);

  t.step = 'sign in at the provider';
  await page.click('#oidc-signin');
  await page.waitForURL(`${issuerBase}/authorize?**`);
  const asked = new URL(page.url()).searchParams;
  check(asked.get('client_id') === CLIENT && asked.get('redirect_uri') === redirectUri
    && asked.get('code_challenge_method') === 'S256' && asked.get('audience') === AUDIENCE
    && asked.get('state') && asked.get('nonce'), `the authorization request (${page.url()})`);
  await page.getByRole('button', { name: 'Continue as alice' }).click();

  t.step = 'back, signed in';
  await page.locator('#question-list li').first().waitFor({ timeout: scaled(15000) });
  const who = await page.textContent('#who');
  check(who.includes('acme') && who.includes('alice'), `the user and tenant are shown (${who})`);
  const tok = await storedToken();
  const claims = claimsOf(tok);
  check(claims.aud === AUDIENCE && claims.iss === issuer && claims.tenant === 'acme',
    `the access token is what the API gets (${JSON.stringify(claims)})`);
  check(!new URL(page.url()).search, `the code and state are cleaned from the URL (${page.url()})`);
  check(await page.evaluate(() => sessionStorage.getItem('sof.oidc.pending')) === null, 'the pending login is cleared');
  check(tokenCalls.length === 1, `one token exchange (${tokenCalls.length})`);

  t.step = 'an authenticated page';
  await page.click('[data-nav="history"]');
  await page.locator('#no-sessions').waitFor({ timeout: scaled(15000) });
  check((await page.textContent('h1')).includes('History'), 'History loads through the API');
  const status = await page.evaluate(async () => (await fetch('/v1/progress', {
    headers: { Authorization: `Bearer ${sessionStorage.getItem('sof.token')}` } })).status);
  check(status === 200, `the API answers the browser's token (${status})`);
  log('signed in through the provider; History loads');

  t.step = 'sign out';
  await page.click('#sign-out');
  await page.locator('#oidc-signin').waitFor();
  check(await storedToken() === '', 'signing out drops the token');

  t.step = 'a tampered state is refused';
  await page.click('#oidc-signin');
  await page.waitForURL(`${issuerBase}/authorize?**`);
  // The provider's answer to "Continue as alice" (303 to the callback) is
  // altered on its way to the browser: same code, another state.
  let realCallback = null;
  const decision = `${issuerBase}/authorize/decision`;
  await page.route(decision, async (route) => {
    const answer = await route.fetch({ maxRedirects: 0 });
    const to = new URL(answer.headers().location);
    realCallback = to.href;
    to.searchParams.set('state', 'forged');
    await route.fulfill({ status: 303, headers: { Location: to.href } });
  });
  const callsBefore = tokenCalls.length;
  await page.getByRole('button', { name: 'Continue as alice' }).click();
  await page.locator('.toast.error', { hasText: 'state mismatch' }).waitFor({ timeout: scaled(15000) });
  await page.unroute(decision);
  check(realCallback !== null, 'the provider redirected with a code');
  await signedOutPage();
  check(tokenCalls.length === callsBefore, 'the code is not exchanged');

  t.step = 'a replayed callback is refused';
  await page.goto(realCallback);
  await page.locator('.toast.error', { hasText: 'without a pending login' }).waitFor({ timeout: scaled(15000) });
  await signedOutPage();
  check(tokenCalls.length === callsBefore, 'the code is still not exchanged');

  t.step = 'the provider refuses';
  await page.click('#oidc-signin');
  await page.waitForURL(`${issuerBase}/authorize?**`);
  await page.getByRole('button', { name: 'Deny' }).click();
  await page.locator('.toast.error', { hasText: 'sign-in refused: the user denied the request' }).waitFor({ timeout: scaled(15000) });
  await signedOutPage();
  check(tokenCalls.length === callsBefore, 'nothing is exchanged after a refusal');
  await page.click('#oidc-signin');
  await page.waitForURL(`${issuerBase}/authorize?**`);
  log('tampered state, replayed callback and a refusal: none signs in');

  check(elsewhere.length === 0, `no requests beyond the server and the issuer: ${elsewhere.join(', ')}`);
  check(consoleErrors.length === 0, `no console errors: ${consoleErrors.join(' | ')}`);
  log('PASS');
} catch (e) {
  failed = true;
  console.error(`FAIL: ${e.message}`);
  if (page) {
    const shot = join(work, `failure-oidc-${t.step.replace(/\W+/g, '-')}.png`);
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
    console.error(`screenshot: ${shot}`);
  }
} finally {
  if (browser) await browser.close().catch(() => {});
  if (server) server.kill('SIGTERM');
  prov.child.kill('SIGTERM');
  writeFileSync(join(work, 'oidc-serve.log'), Buffer.concat(serverErr));
  writeFileSync(join(work, 'oidc-provider.log'), Buffer.concat(providerErr));
  if (failed) console.error(`logs: ${join(work, 'oidc-serve.log')}, ${join(work, 'oidc-provider.log')}`);
}
process.exit(failed ? 1 : 0);
