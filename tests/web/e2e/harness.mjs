// What the browser tests share: arguments, a step log with checks,
// starting a child that prints its port, and Debian's Chromium through
// playwright-core (installed in web/node_modules by `make setup`).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const webDir = resolve(here, '../../../web');

/** Sanitizer builds run several times slower: tests/CMakeLists.txt sets
 * SOF_TEST_TIME_SCALE and every wait on the server is multiplied by it. */
export const scaled = (ms) => ms * Number(process.env.SOF_TEST_TIME_SCALE || 1);

/** --name value pairs of the command line, as an object. */
export function parseArgs(argv = process.argv.slice(2)) {
  return Object.fromEntries(argv.reduce((acc, a, i, all) =>
    (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
}

/** A test's steps: log lines with the elapsed time, checks that name the step that failed. */
export function trial() {
  const t0 = Date.now();
  return {
    step: 'start',
    log(m) { console.log(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${m}`); },
    check(cond, what) {
      if (!cond) throw new Error(`check failed at '${this.step}': ${what}`);
    },
  };
}

/** Words a page shows that only a bug writes ("null" from append(null), "NaN", "undefined"). */
export async function strayValues(page) {
  const text = await page.evaluate(() => document.body.innerText);
  return text.match(/\b(null|undefined|NaN)\b/g) || [];
}

/** Starts a child; `ready` resolves with the number matched by `re` on its stdout (its port). */
export function launch(name, cmd, argv, re, logs) {
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.on('data', (d) => logs.push(d));
  const ready = new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`${name} did not start: ${out}`)), scaled(30000));
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(re);
      if (m) { clearTimeout(timer); ok(Number(m[1])); }
    });
    child.on('exit', (code) => { clearTimeout(timer); fail(new Error(`${name} exited with ${code}: ${Buffer.concat(logs)}`)); });
    child.on('error', (e) => { clearTimeout(timer); fail(e); });
  });
  return { child, ready };
}

/** `sof serve --port 0`; resolves when it listens. */
export function launchServer(sof, data, cfg, logs) {
  return launch('sof serve', sof, ['serve', '--port', '0', '--data', data, '--config', cfg],
    /listening on http:\/\/[^:]+:(\d+)/, logs);
}

/** Headless Chromium (root in a container needs --no-sandbox). */
export async function launchChromium(executablePath, extraArgs = []) {
  const { chromium } = createRequire(join(webDir, 'package.json'))('playwright-core');
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', ...extraArgs] });
}
