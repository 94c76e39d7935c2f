// Bundles the UI into one directory `sof serve` serves:
//   node build.mjs OUT_DIR     (run by `make build` through CMake)
// app.js (src/main.js + @msgpack/msgpack, minified, with a source map), the
// AudioWorklet module as its own file (worklets load by URL), and public/.
import { cp, mkdir, readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] || join(here, 'dist'));

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.error(`web: esbuild is not installed in ${join(here, 'node_modules')}; run \`make setup\` (npm ci)`);
  process.exit(1);
}

await mkdir(out, { recursive: true });
const t0 = Date.now();
const result = await esbuild.build({
  absWorkingDir: here,
  entryPoints: ['src/main.js'],
  bundle: true,
  format: 'esm',
  outfile: join(out, 'app.js'),
  minify: true,
  sourcemap: true,
  target: ['chrome110', 'firefox115', 'safari16'],
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
});
await cp(join(here, 'src/audio/capture-worklet.js'), join(out, 'capture-worklet.js'));
for (const f of await readdir(join(here, 'public')))
  await cp(join(here, 'public', f), join(out, f), { recursive: true });
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`web: bundled into ${out} (${(bytes / 1024).toFixed(0)} KB with source map, ${Date.now() - t0} ms)`);
