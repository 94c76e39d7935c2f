// End to end in a real browser: Debian's Chromium (headless, driven by
// playwright-core) against `sof serve` on loopback, with a fake microphone
// playing a spoken answer from a WAV file.
//
//   node practice_e2e.mjs --sof build/bin/sof --wav ANSWER.wav --work DIR
//        [--reference ANSWER.txt] [--screenshots docs/images] [--chromium /usr/bin/chromium]
//        [--web-dir DIR]   (default: the bundle `make build` writes)
//
// Signs in with a development token, picks a question, answers out loud,
// checks the live transcript, coverage, the interviewer's spoken follow-up
// and barge-in, survives a dropped connection without losing a frame,
// finishes, checks the scorecard (chart, evidence that jumps to the
// transcript, delivery, citations), then finds the session in History,
// with the progress chart, and deletes it. Screenshots of every failure go
// to WORK/failure-*.png; --screenshots also writes the docs' pictures.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs, scaled, trial, launchServer, launchChromium, strayValues } from './harness.mjs';

const args = parseArgs();
const sof = resolve(args.sof || 'build/bin/sof');
const work = resolve(args.work || '/tmp/sof-web-e2e');
const chromiumPath = args.chromium || '/usr/bin/chromium';
mkdirSync(work, { recursive: true });
rmSync(join(work, 'data'), { recursive: true, force: true });  // a fresh service every run

const t = trial();
const { log } = t;
const check = (cond, what) => t.check(cond, what);
// Every page visited: nothing a bug writes ("null", "undefined", "NaN").
const noStrayValues = async (where) => {
  const stray = await strayValues(page);
  check(stray.length === 0, `the ${where} page shows "${stray.join('", "')}"`);
};

// -- the fake microphone: the answer at 48 kHz, then silence for the turn end
const mic = join(work, 'mic.wav');
run('sox', [resolve(args.wav), '-r', '48000', '-b', '16', '-c', '1', mic, 'pad', '0.5', '9']);
const micSeconds = Number(run('soxi', ['-D', mic]));

// -- the server ------------------------------------------------------------
const cfg = join(work, 'serve.toml');
// Info logging: the failure report shows the server's side of the last steps.
writeFileSync(cfg, '[log]\nlevel = "info"\n[auth]\nhs256_secret = "e2e-secret"\n'
  + (args['web-dir'] ? `[server]\nweb_dir = "${resolve(args['web-dir'])}"\n` : ''));
function run(cmd, argv) {
  try {
    return execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } catch (e) {
    console.error(`FAIL: ${cmd} ${argv.join(' ')}: ${e.stderr ? e.stderr.toString().trim() : e.message}`);
    process.exit(1);
  }
}
const token = run(sof, ['token', '--tenant', 'acme', '--user', 'carol', '--config', cfg]).trim().split('\n').pop();
const serverLog = join(work, 'serve.log');
const serverErr = [];
const srv = launchServer(sof, join(work, 'data'), cfg, serverErr);
const server = srv.child;
const port = await srv.ready;
const base = `http://127.0.0.1:${port}`;
log(`sof serve on ${base}; microphone: ${micSeconds.toFixed(1)} s of audio`);

const shots = args.screenshots ? resolve(args.screenshots) : null;
if (shots) {
  // The docs' History picture needs some history: two earlier answers,
  // streamed by `sof client` as a browser would.
  for (const wav of ['ticketing_answer.wav', 'ticketing_interview.wav']) {
    run(sof, ['client', '--url', base, '--token', token, '--question', 'ticketing-flash-sale',
      '--audio', join(dirname(resolve(args.wav)), wav), '--json']);
    log(`seeded a session with ${wav}`);
  }
}

const browser = await launchChromium(chromiumPath, [
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  `--use-file-for-fake-audio-capture=${mic}%noloop`,
  '--autoplay-policy=no-user-gesture-required',
]);
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, permissions: ['microphone'] });
const page = await context.newPage();
const consoleErrors = [];
const consoleAll = [];  // every message, for the failure report
page.on('console', (m) => {
  consoleAll.push(`${m.type()}: ${m.text()}`);
  if (m.type() === 'error') consoleErrors.push(m.text());
});
page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
const external = [];
page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith(`ws://127.0.0.1:${port}`)) external.push(r.url()); });
page.on('dialog', (d) => d.accept());
const picture = async (name, clipHeight = 0) => {
  await page.evaluate(() => document.getElementById('toasts').replaceChildren());
  if (clipHeight) await page.setViewportSize({ width: 1280, height: clipHeight });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(shots, name) });
  await page.setViewportSize({ width: 1280, height: 900 });
  log(`picture: ${join(shots, name)}`);
};

let failed = false;
try {
  t.step = 'sign in';
  await page.goto(base);
  await page.locator('#token').waitFor();
  await noStrayValues('sign-in');
  await page.fill('#token', 'not a token');
  await page.click('#token-submit');
  await page.locator('.toast.error').waitFor();
  await page.fill('#token', token);
  await page.click('#token-submit');
  await page.locator('#question-list li').first().waitFor();
  check((await page.textContent('#who')).includes('acme'), 'the signed-in tenant is shown');
  await noStrayValues('question picker');

  t.step = 'pick a question';
  await page.selectOption('#filter-track', 'system_design');
  await page.fill('#filter-text', 'ticket');
  const card = page.locator('[data-question="ticketing-flash-sale"]');
  await card.waitFor();
  check((await page.locator('#question-list li').count()) >= 1, 'the filter keeps the ticketing question');
  await card.locator('a.button').click();
  await page.locator('#prompt').waitFor();
  check((await page.textContent('h1')).length > 5, 'the question title is shown');
  await noStrayValues('practice');

  t.step = 'answer out loud';
  await page.click('#start');
  const micStartedAt = Date.now();
  await page.waitForFunction(() => document.querySelector('#link-state')?.textContent === 'live', null, { timeout: scaled(15000) });
  log('session live; the candidate is speaking');
  // Words appear while the candidate is still speaking (partials, then finals).
  await page.waitForFunction(() => (document.querySelector('#transcript')?.textContent || '')
    .trim().split(/\s+/).length >= 4, null, { timeout: scaled(20000) });
  const firstWords = await page.textContent('#transcript');
  log(`first transcript words: "${firstWords.trim().slice(0, 60)}"`);

  t.step = 'network blip';
  await page.waitForTimeout(4000);
  await page.evaluate(() => window.sof.session.link.dropConnection());
  await page.waitForFunction(() => window.sof.session.link.stats.reconnects >= 1, null, { timeout: scaled(5000) });
  await page.waitForFunction(() => document.querySelector('#link-state')?.textContent === 'live', null, { timeout: scaled(15000) });
  log('reconnected and resumed');

  t.step = 'coverage and the follow-up';
  await page.waitForFunction(() => document.querySelectorAll('#coverage li').length >= 6, null, { timeout: scaled(30000) });
  // The answer ends, 2.5 s of silence end the turn, the interviewer asks.
  await page.waitForFunction(() => document.querySelectorAll('#followups li').length >= 1, null,
    { timeout: scaled((micSeconds + 30) * 1000) });
  await page.waitForFunction(() => window.sof.session.stats.voiceChunks > 0, null, { timeout: scaled(15000) });
  // Let the whole answer play: its last turn ends in the silence padding.
  const left = micStartedAt + micSeconds * 1000 - 4000 - Date.now();
  if (left > 0) await page.waitForTimeout(left);
  await page.waitForFunction(() => !document.querySelector('#transcript li.partial'), null, { timeout: scaled(15000) });
  const live = await page.evaluate(() => ({ ...window.sof.session.stats, link: window.sof.session.link.stats }));
  log(`live stats: ${JSON.stringify(live)}`);
  await noStrayValues('live practice');
  check(live.bargeIns >= 1, 'speaking over the interviewer reading the question stopped it (barge_in)');
  const covered = await page.$$eval('#coverage li.good, #coverage li.some', (l) => l.length);
  check(covered >= 2, `at least two dimensions show coverage (got ${covered})`);
  const transcript = (await page.$$eval('#transcript li.final', (l) => l.map((x) => x.textContent))).join(' ');
  if (args.reference) {
    const ref = new Set(readFileSync(args.reference, 'utf8').toLowerCase().match(/[a-z']+/g));
    const got = transcript.toLowerCase().match(/[a-z']+/g) || [];
    const hit = got.filter((w) => ref.has(w)).length / Math.max(1, got.length);
    log(`${got.length} words transcribed, ${(hit * 100).toFixed(0)}% of them in the reference`);
    check(got.length >= 40 && hit >= 0.6, `the transcript matches the spoken answer (${got.length} words, ${hit.toFixed(2)})`);
  }
  if (shots) await picture('practice.png', 1000);

  t.step = 'finish and the scorecard';
  await page.evaluate(() => { window.finishedLink = window.sof.session.link; });
  await page.click('#finish');
  await page.locator('#verdict').waitFor({ timeout: scaled(60000) });
  const id = await page.evaluate(() => decodeURIComponent(location.hash.split('/')[2]));
  const after = await page.evaluate(() => window.sof.session);
  check(after === null, 'the practice page is left for the scorecard');
  const verdict = (await page.textContent('.verdict-word')).trim();
  // The sample is a strong, concise ticketing answer (typed 72, spoken
  // 79 through kal16 and the embedded recogniser): it keeps Scale through the browser's microphone too.
  const overall = Number((await page.textContent('.overall strong')).trim());
  check(verdict === 'Scale' && overall >= 62 && overall <= 90,
    `the strong sample grades Scale in 62..90 (got ${verdict} ${overall})`);
  check(await page.locator('.radar svg polygon, .radar svg path').count() > 0, 'the six dimensions are drawn');
  check(await page.locator('article.dimension').count() === 6, 'six dimension cards');
  check(await page.locator('.citations li').count() > 0, 'knowledge-base citations are listed');
  check((await page.textContent('#delivery-stats')).includes('wpm'), 'delivery stats are shown');
  check(await page.locator('.asked .followups li').count() >= 1, 'the follow-ups asked are listed');
  const quote = page.locator('button.quote').first();
  await quote.click();
  await page.locator('#full-transcript li.highlight').waitFor();
  const quoted = (await quote.locator('q').textContent()).toLowerCase().split(/\s+/)[0];
  const line = (await page.textContent('#full-transcript li.highlight')).toLowerCase();
  check(line.includes(quoted), `the evidence jumps to the transcript line that says it ("${quoted}")`);
  log(`scorecard: ${verdict} ${overall}, session ${id}`);
  await noStrayValues('scorecard');
  if (shots) await picture('scorecard.png', 1300);

  t.step = 'nothing lost over the blip';
  const bearer = { headers: { Authorization: `Bearer ${token}` } };
  const stored = await (await fetch(`${base}/v1/sessions/${id}`, bearer)).json();
  check(stored.segments.length >= live.segments,
    `every segment shown live is stored (${stored.segments.length} stored, ${live.segments} shown)`);
  // Word timings and confidences are stored with each segment, and the
  // scorecard's transcript marks exactly the uncertain ones, with text a
  // screen reader says (not by colour alone).
  const words = stored.segments.flatMap((s) => s.words || []);
  check(words.length > 0 && words.every((w) => w.confidence >= 0 && w.confidence <= 1 && w.start <= w.end),
    `stored segments carry words with confidences in [0, 1] (${words.length} words)`);
  const unsure = words.filter((w) => w.uncertain).length;
  const marked = await page.locator('#full-transcript .uncertain').count();
  const spoken = await page.locator('#full-transcript .uncertain .sr-only').count();
  log(`uncertain words: ${unsure} stored, ${marked} marked`);
  check(marked === unsure && spoken === unsure, `every uncertain word is marked (${marked}/${unsure})`);
  // `end` is acknowledged with the last frame: every frame captured, through
  // the dropped connection, is in the session exactly once (the server drops
  // duplicates by seq and refuses gaps).
  const final = await page.evaluate(() => ({ acked: window.finishedLink.stats.acked, captured: window.finishedLink.nextSeq_ }));
  log(`frames captured ${final.captured}, acknowledged through seq ${final.acked}`);
  check(final.captured > 1000 && final.acked === final.captured - 1,
    `the server acknowledged every frame captured (${JSON.stringify(final)})`);

  t.step = 'history';
  await page.click('[data-nav="history"]');
  const row = page.locator(`#sessions tr[data-session="${id}"]`);
  await row.waitFor();
  check(await page.locator('.progress svg').count() > 0, 'the progress chart is drawn');
  await noStrayValues('history');
  if (shots) await picture('history.png');
  await row.locator('button.danger').click();
  await page.waitForFunction((sid) => !document.querySelector(`#sessions tr[data-session="${sid}"]`), id, { timeout: scaled(10000) });
  const gone = (await fetch(`${base}/v1/sessions/${id}`, bearer)).status;
  check(gone === 404, `a deleted session is gone (${gone})`);

  t.step = 'sign out';
  await page.click('#sign-out');
  await page.locator('#token').waitFor();

  t.step = 'the link `make run` prints';
  await page.goto(`${base}/#token=${token}`);
  await page.locator('#question-list li').first().waitFor();
  check(!page.url().includes('token='), `the token is removed from the address bar (${page.url()})`);
  await page.click('#sign-out');
  await page.locator('#token').waitFor();

  check(external.length === 0, `no requests leave the server: ${external.join(', ')}`);
  check(consoleErrors.length === 0, `no console errors: ${consoleErrors.join(' | ')}`);
  log('PASS');
} catch (e) {
  failed = true;
  console.error(`FAIL: ${e.message}`);
  const shot = join(work, `failure-${t.step.replace(/\W+/g, '-')}.png`);
  await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
  console.error(`screenshot: ${shot}`);
  if (consoleErrors.length) console.error(`console errors:\n  ${consoleErrors.join('\n  ')}`);
  // What the page showed when it stopped: the link state, the toasts, the
  // live counters, the last console lines; so a failure on CI is readable.
  const state = await page.evaluate(() => ({
    link: document.querySelector('#link-state')?.textContent,
    toasts: [...document.querySelectorAll('#toasts *')].map((e) => e.textContent).filter(Boolean),
    session: window.sof?.session ? { ...window.sof.session.stats, link: window.sof.session.link?.stats } : null,
  })).catch((err) => ({ unavailable: err.message }));
  console.error(`page state: ${JSON.stringify(state)}`);
  if (consoleAll.length) console.error(`console (last 20):\n  ${consoleAll.slice(-20).join('\n  ')}`);
  const serverTail = Buffer.concat(serverErr).toString().trim().split('\n').slice(-20);
  if (serverTail.length) console.error(`server log (last 20 lines):\n  ${serverTail.join('\n  ')}`);
} finally {
  await browser.close().catch(() => {});
  server.kill('SIGTERM');
  writeFileSync(serverLog, Buffer.concat(serverErr));
  if (failed) console.error(`server log: ${serverLog}`);
}
process.exit(failed ? 1 : 0);
