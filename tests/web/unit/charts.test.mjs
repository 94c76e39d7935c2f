import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barsSvg, escapeXml, lineChartSvg, radarSvg, sparklineSvg } from '../../../web/src/charts.js';

const SIX = [
  { name: 'Requirements', score: 8 },
  { name: 'Architecture', score: 6 },
  { name: 'Data model', score: null },
  { name: 'Scalability', score: 4 },
  { name: 'Trade-offs', score: 10 },
  { name: 'Communication', score: 2 },
];

function scorePolygonPoints(svg) {
  const match = svg.match(/<polygon class="series-0 score-area" points="([^"]+)"/);
  assert.ok(match, 'score polygon present');
  return match[1].split(' ').map((pair) => pair.split(',').map(Number));
}

function count(haystack, needle) {
  return haystack.split(needle).length - 1;
}

test('escapeXml escapes markup characters', () => {
  assert.equal(escapeXml(`<script>&"'`), '&lt;script&gt;&amp;&quot;&apos;');
  assert.equal(escapeXml(7), '7');
});

test('radar polygon has one vertex per available dimension, at a distance proportional to its score', () => {
  const svg = radarSvg(SIX, { size: 320, max: 10 });
  const vertices = scorePolygonPoints(svg);
  assert.equal(vertices.length, 5);
  const available = SIX.filter((d) => d.score !== null);
  const center = 160;
  const radius = 320 * 0.3; // full-scale radius: the outermost ring
  vertices.forEach(([x, y], i) => {
    const distance = Math.hypot(x - center, y - center);
    assert.ok(Math.abs(distance - (radius * available[i].score) / 10) < 0.2, `vertex ${i}: ${distance}`);
  });
  // Ratios between vertices equal ratios between scores (8 : 2 = 4).
  const [first] = vertices;
  const last = vertices[vertices.length - 1];
  const ratio = Math.hypot(first[0] - center, first[1] - center) / Math.hypot(last[0] - center, last[1] - center);
  assert.ok(Math.abs(ratio - 4) < 0.02, `ratio ${ratio}`);
});

test('radar draws rings at 2, 4, 6, 8 and 10 and a spoke per dimension', () => {
  const svg = radarSvg(SIX);
  assert.equal(count(svg, '<polygon class="grid"'), 5);
  assert.equal(count(svg, '<line class="axis"'), 6);
  assert.match(svg, /role="img"/);
  assert.match(svg, /<title>[^<]+<\/title><desc>[^<]+<\/desc>/);
});

test('radar marks an unavailable dimension with a hollow marker and "n/a"', () => {
  const svg = radarSvg(SIX);
  assert.equal(count(svg, '<circle class="marker na"'), 1);
  assert.match(svg, /<circle class="marker na"[^>]*fill="none"/);
  assert.match(svg, /<tspan>Data model<\/tspan><tspan class="value na"[^>]*>n\/a<\/tspan>/);
  assert.match(svg, /aria-label="[^"]*Data model n\/a/);
  assert.equal(count(svg, '<circle class="dot series-0"'), 5);
});

test('radar escapes dimension names everywhere', () => {
  const svg = radarSvg([{ name: '<script>&"', score: 5 }, ...SIX.slice(1)]);
  assert.ok(!svg.includes('<script>'));
  assert.ok(!svg.includes('&"'));
  assert.ok(svg.includes('&lt;script&gt;&amp;&quot;'));
  assert.equal(count(svg, '&lt;script&gt;&amp;&quot;'), 4); // aria-label, desc, tooltip, label
});

test('radar rounds coordinates to one decimal', () => {
  const svg = radarSvg([{ name: 'a', score: 3.333 }, { name: 'b', score: 7.77 }, { name: 'c', score: 1 }]);
  const numbers = scorePolygonPoints(svg).flat();
  for (const n of numbers) assert.equal(Math.round(n * 10) / 10, n);
  assert.match(svg, />7\.8</);
});

test('radar with fewer than three dimensions falls back to bars', () => {
  const svg = radarSvg([{ name: 'a', score: 4 }, { name: 'b', score: null }]);
  assert.match(svg, /class="chart bars"/);
  assert.ok(!svg.includes('score-area'));
  assert.equal(svg, barsSvg([{ name: 'a', score: 4 }, { name: 'b', score: null }]));
});

test('bars are proportional to the score and show n/a for a missing one', () => {
  const svg = barsSvg([{ name: 'a', score: 5 }, { name: 'b', score: 10 }, { name: 'c', score: null }], { width: 360 });
  const bars = [...svg.matchAll(/<rect class="bar series-0"[^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
  assert.equal(bars.length, 2);
  assert.ok(Math.abs(bars[1] / bars[0] - 2) < 0.01, `bars ${bars}`);
  assert.match(svg, /class="label value na"[^>]*>n\/a</);
  assert.match(svg, />10</);
});

test('line chart breaks the path at a null', () => {
  const svg = lineChartSvg([
    { name: 'overall', points: [{ x: 0, y: 5 }, { x: 1, y: 6 }, { x: 2, y: null }, { x: 3, y: 7 }, { x: 4, y: 8 }] },
  ]);
  const d = svg.match(/<path class="line series-0" fill="none" d="([^"]+)"/)[1];
  assert.equal(count(d, 'M'), 2);
  assert.equal(count(d, 'L'), 2);
  assert.equal(count(svg, '<circle class="dot series-0"'), 4);
  assert.match(svg, /<title>overall: 7<\/title>/);
});

test('line chart without a path break draws one continuous line per series, with a legend', () => {
  const svg = lineChartSvg([
    { name: 'a', points: [{ x: 0, y: 1 }, { x: 1, y: 2 }, { x: 2, y: 3 }] },
    { name: 'b', points: [{ x: 0, y: 9 }, { x: 2, y: 4 }] },
  ]);
  const paths = [...svg.matchAll(/<path class="line (series-\d)" fill="none" d="([^"]+)"/g)];
  assert.deepEqual(paths.map((p) => p[1]), ['series-0', 'series-1']);
  for (const p of paths) assert.equal(count(p[2], 'M'), 1);
  assert.equal(count(svg, '<rect class="swatch'), 2);
  // y = 9 is above y = 4 (SVG y grows downwards).
  const dots = [...svg.matchAll(/<circle class="dot series-1" cx="[\d.]+" cy="([\d.]+)"/g)].map((m) => Number(m[1]));
  assert.ok(dots[0] < dots[1]);
});

test('line chart with no graded points shows the empty state', () => {
  for (const series of [[], [{ name: 'a', points: [] }], [{ name: 'a', points: [{ x: 0, y: null }] }]]) {
    const svg = lineChartSvg(series);
    assert.match(svg, />No graded sessions yet</);
    assert.match(svg, /role="img"/);
    assert.ok(!svg.includes('<path'));
  }
});

test('line chart with one point draws a centred dot', () => {
  const svg = lineChartSvg([{ name: 'overall', points: [{ x: 1700000000000, y: 6.25 }] }], { width: 640 });
  const dot = svg.match(/<circle class="dot series-0" cx="([\d.]+)" cy="([\d.]+)"/);
  assert.ok(dot);
  assert.ok(Math.abs(Number(dot[1]) - (34 + (640 - 34 - 28) / 2)) < 0.1);
  assert.match(svg, /<title>overall: 6\.3<\/title>/);
  assert.ok(!svg.includes('NaN'));
});

test('line chart uses xLabels given as an array or a function', () => {
  const series = [{ name: 'a', points: [{ x: 0, y: 1 }, { x: 1, y: 2 }] }];
  assert.match(lineChartSvg(series, { xLabels: ['Mon', 'Tue & Wed'] }), />Tue &amp; Wed</);
  assert.match(lineChartSvg(series, { xLabels: (x) => `S${x}` }), />S1</);
  assert.match(lineChartSvg(series), />#2</);
});

test('sparkline draws a path with a dot at the last value, and handles no data', () => {
  const svg = sparklineSvg([1, 3, null, 2]);
  const d = svg.match(/<path class="spark series-0" fill="none" d="([^"]+)"/)[1];
  assert.equal(count(d, 'M'), 2);
  assert.match(svg, /class="spark-last series-0" cx="117"/);
  assert.ok(!sparklineSvg([]).includes('<path'));
  assert.ok(!sparklineSvg([5, 5]).includes('NaN'));
});
