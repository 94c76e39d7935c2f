// SVG charts as pure string builders: no DOM, so they run (and are tested) in
// node, and the app inserts the markup where it wants. Colours come only from
// CSS classes (series-0..series-5, grid, axis, label, ...) so the stylesheet
// themes every chart; geometry attributes are rounded to one decimal to keep
// the markup small and stable.

const SERIES_COUNT = 7;  // the stylesheet defines .series-0 .. .series-6
const XML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(value) {
  return String(value).replace(/[&<>"']/g, (ch) => XML_ESCAPES[ch]);
}

function fmt(n) {
  const rounded = Math.round(n * 10) / 10;
  return String(rounded === 0 ? 0 : rounded); // no "-0" in the markup
}

// A score is usable only when it is a real number; null, undefined and NaN
// all mean "the grader could not score this".
function isScore(value) {
  return typeof value === 'number' && Number.isFinite(value);
}

function clamp(value, low, high) {
  return Math.min(high, Math.max(low, value));
}

function scoreText(score) {
  return isScore(score) ? fmt(score) : 'n/a';
}

function seriesClass(index) {
  return `series-${index % SERIES_COUNT}`;
}

function svgDoc({ width, height, className, label, title, desc, body, minX = 0 }) {
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart ${className}" ` +
    `viewBox="${fmt(minX)} 0 ${fmt(width)} ${fmt(height)}" width="${fmt(width)}" height="${fmt(height)}" ` +
    `role="img" aria-label="${escapeXml(label)}">` +
    `<title>${escapeXml(title)}</title><desc>${escapeXml(desc)}</desc>${body}</svg>`;
}

function centredText(width, height, text) {
  return `<text class="label empty" x="${fmt(width / 2)}" y="${fmt(height / 2)}" text-anchor="middle" dominant-baseline="middle">${escapeXml(text)}</text>`;
}

function dimsSummary(dims) {
  return dims.map((d) => `${d.name} ${scoreText(d.score)}`).join(', ');
}

// Path data for a polyline that lifts the pen at every null, so a missing
// value shows as a gap instead of a line bridging it.
function pathData(coords) {
  let penDown = false;
  const parts = [];
  for (const point of coords) {
    if (point === null) {
      penDown = false;
      continue;
    }
    parts.push(`${penDown ? 'L' : 'M'}${fmt(point.x)} ${fmt(point.y)}`);
    penDown = true;
  }
  return parts.join(' ');
}

function dot(x, y, className, tooltip, r = 3, extraAttrs = '') {
  return `<circle class="${className}" cx="${fmt(x)}" cy="${fmt(y)}" r="${r}"${extraAttrs}><title>${escapeXml(tooltip)}</title></circle>`;
}

// --- radar -----------------------------------------------------------------

const RADAR_RINGS = 5;
const LINE_HEIGHT = 14;

function radarLabel(dim, x, y, cos, sin) {
  const anchor = cos > 0.3 ? 'start' : cos < -0.3 ? 'end' : 'middle';
  // Two lines (name, score): top labels sit above their point, bottom ones below.
  const top = sin < -0.3 ? y - LINE_HEIGHT : sin > 0.3 ? y + LINE_HEIGHT * 0.7 : y - LINE_HEIGHT * 0.3;
  const valueClass = isScore(dim.score) ? 'value' : 'value na';
  return `<text class="label" x="${fmt(x)}" y="${fmt(top)}" text-anchor="${anchor}">` +
    `<tspan>${escapeXml(dim.name)}</tspan>` +
    `<tspan class="${valueClass}" x="${fmt(x)}" dy="${LINE_HEIGHT}">${scoreText(dim.score)}</tspan></text>`;
}

export function radarSvg(dims, { size = 320, max = 10 } = {}) {
  if (dims.length < 3) return barsSvg(dims, { max });
  const center = size / 2;
  const radius = size * 0.3;
  // Side labels run horizontally away from the plot, so the view box is wider
  // than it is tall; it stays centred on the plot.
  const sidePad = size * 0.15;
  const spokes = dims.map((dim, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / dims.length;
    return { dim, cos: Math.cos(angle), sin: Math.sin(angle) };
  });
  const at = (spoke, r) => ({ x: center + r * spoke.cos, y: center + r * spoke.sin });
  const points = (list) => list.map(({ x, y }) => `${fmt(x)},${fmt(y)}`).join(' ');

  const rings = [];
  for (let k = 1; k <= RADAR_RINGS; k += 1) {
    const r = (radius * k) / RADAR_RINGS;
    rings.push(`<polygon class="grid" fill="none" points="${points(spokes.map((s) => at(s, r)))}"/>`);
  }
  const axes = spokes.map((s) => {
    const tip = at(s, radius);
    return `<line class="axis" x1="${fmt(center)}" y1="${fmt(center)}" x2="${fmt(tip.x)}" y2="${fmt(tip.y)}"/>`;
  });

  const available = spokes.filter((s) => isScore(s.dim.score));
  const scored = available.map((s) => ({ s, ...at(s, (radius * clamp(s.dim.score, 0, max)) / max) }));
  const area = scored.length
    ? `<polygon class="series-0 score-area" points="${points(scored)}"/>`
    : '';
  const dots = scored.map(({ s, x, y }) => dot(x, y, 'dot series-0', `${s.dim.name}: ${fmt(s.dim.score)}`, 3.5));
  // An unavailable dimension gets a hollow marker at its spoke tip, next to its
  // "n/a" label, so it reads as missing rather than as a zero at the centre.
  const missing = spokes
    .filter((s) => !isScore(s.dim.score))
    .map((s) => {
      const tip = at(s, radius);
      return dot(tip.x, tip.y, 'marker na', `${s.dim.name}: n/a`, 4.5, ' fill="none"');
    });
  const labels = spokes.map((s) => {
    const spot = at(s, radius + 12);
    return radarLabel(s.dim, spot.x, spot.y, s.cos, s.sin);
  });

  const summary = dimsSummary(dims);
  return svgDoc({
    width: size + 2 * sidePad,
    height: size,
    minX: -sidePad,
    className: 'radar',
    label: `Radar chart of ${dims.length} dimensions: ${summary}`,
    title: 'Scores by dimension',
    desc: `Scores out of ${fmt(max)}: ${summary}`,
    body: [...rings, ...axes, area, ...dots, ...missing, ...labels].join(''),
  });
}

// --- horizontal bars -----------------------------------------------------------

const BAR_ROW = 26;
const BAR_PAD = 8;

export function barsSvg(dims, { width = 360, max = 10 } = {}) {
  const labelWidth = Math.round(width * 0.38);
  const valueWidth = 36;
  const barX = labelWidth + 8;
  const barWidth = width - barX - valueWidth;
  const height = BAR_PAD * 2 + BAR_ROW * Math.max(dims.length, 1);

  const rows = dims.map((dim, i) => {
    const top = BAR_PAD + i * BAR_ROW;
    const mid = top + BAR_ROW / 2;
    const parts = [
      `<text class="label" x="${labelWidth}" y="${fmt(mid)}" text-anchor="end" dominant-baseline="middle">${escapeXml(dim.name)}</text>`,
      `<rect class="grid track" x="${barX}" y="${top + 6}" width="${fmt(barWidth)}" height="${BAR_ROW - 12}"/>`,
    ];
    if (isScore(dim.score)) {
      const length = (barWidth * clamp(dim.score, 0, max)) / max;
      parts.push(`<rect class="bar series-0" x="${barX}" y="${top + 6}" width="${fmt(length)}" height="${BAR_ROW - 12}"/>`);
    }
    const valueClass = isScore(dim.score) ? 'label value' : 'label value na';
    parts.push(`<text class="${valueClass}" x="${fmt(barX + barWidth + 6)}" y="${fmt(mid)}" dominant-baseline="middle">${scoreText(dim.score)}</text>`);
    return parts.join('');
  });
  const empty = dims.length ? '' : centredText(width, height, 'No scores available');

  const summary = dims.length ? dimsSummary(dims) : 'no scores';
  return svgDoc({
    width,
    height,
    className: 'bars',
    label: `Bar chart: ${summary}`,
    title: 'Scores by dimension',
    desc: `Scores out of ${fmt(max)}: ${summary}`,
    body: rows.join('') + empty,
  });
}

// --- line chart --------------------------------------------------------------

const MARGIN = { right: 28, bottom: 28, left: 34 };
const LEGEND_ROW = 16;
const Y_TICKS = 5;
// Beyond this an x value is a millisecond timestamp (1973 onwards), not an index.
const TIMESTAMP_FLOOR = 1e11;

function defaultXLabel(x) {
  if (x >= TIMESTAMP_FLOOR) {
    return new Date(x).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  }
  return `#${x + 1}`; // indices are 0-based; people count sessions from 1
}

// xLabels is either an array indexed by x (for index-based x) or a function of x.
function xLabeler(xLabels) {
  if (typeof xLabels === 'function') return xLabels;
  if (Array.isArray(xLabels)) return (x) => xLabels[x] ?? '';
  return defaultXLabel;
}

// At most maxTicks of the distinct x values, evenly spread and always
// including the first and the last, so ticks sit on real sessions.
function pickTicks(xs, maxTicks) {
  if (xs.length <= maxTicks) return xs;
  const picked = new Set();
  for (let k = 0; k < maxTicks; k += 1) picked.add(xs[Math.round((k * (xs.length - 1)) / (maxTicks - 1))]);
  return [...picked];
}

// Legend items flow left to right and wrap onto new rows; the plot starts
// below however many rows that takes.
function legendLayout(series, width) {
  let x = MARGIN.left;
  let row = 0;
  const items = series.map((s, i) => {
    const itemWidth = 14 + String(s.name).length * 7 + 16; // ~7 px per character at 12 px
    if (x > MARGIN.left && x + itemWidth > width) {
      x = MARGIN.left;
      row += 1;
    }
    const y = 10 + row * LEGEND_ROW;
    const markup = `<rect class="swatch ${seriesClass(i)}" x="${fmt(x)}" y="${y}" width="10" height="10"/>` +
      `<text class="label legend" x="${fmt(x + 14)}" y="${y + 5}" dominant-baseline="middle">${escapeXml(s.name)}</text>`;
    x += itemWidth;
    return markup;
  });
  return { markup: items.join(''), height: 10 + (row + 1) * LEGEND_ROW };
}

export function lineChartSvg(series, { width = 640, height = 260, yMax = 10, xLabels } = {}) {
  const hasValue = series.some((s) => s.points.some((p) => isScore(p.y)));
  if (!hasValue) {
    const text = 'No graded sessions yet';
    return svgDoc({ width, height, className: 'line-chart empty', label: text, title: 'Progress', desc: text, body: centredText(width, height, text) });
  }

  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const legend = legendLayout(series, width);
  const top = legend.height + 8;
  const plotHeight = height - top - MARGIN.bottom;
  const bottom = top + plotHeight;
  const xMin = xs[0];
  const xSpan = xs[xs.length - 1] - xMin;
  // A single x value (one session) sits in the middle rather than on the axis.
  const xPos = (x) => MARGIN.left + (xSpan === 0 ? plotWidth / 2 : ((x - xMin) / xSpan) * plotWidth);
  const yPos = (y) => top + plotHeight * (1 - clamp(y, 0, yMax) / yMax);
  const label = xLabeler(xLabels);

  const grid = [];
  for (let k = 0; k <= Y_TICKS; k += 1) {
    const value = (yMax * k) / Y_TICKS;
    const y = yPos(value);
    grid.push(`<line class="grid" x1="${MARGIN.left}" y1="${fmt(y)}" x2="${fmt(MARGIN.left + plotWidth)}" y2="${fmt(y)}"/>`);
    grid.push(`<text class="label axis-label" x="${MARGIN.left - 6}" y="${fmt(y)}" text-anchor="end" dominant-baseline="middle">${fmt(value)}</text>`);
  }
  const axes = `<line class="axis" x1="${MARGIN.left}" y1="${fmt(top)}" x2="${MARGIN.left}" y2="${fmt(bottom)}"/>` +
    `<line class="axis" x1="${MARGIN.left}" y1="${fmt(bottom)}" x2="${fmt(MARGIN.left + plotWidth)}" y2="${fmt(bottom)}"/>`;
  const ticks = pickTicks(xs, Math.max(2, Math.floor(plotWidth / 80))).map((x) => {
    const px = xPos(x);
    return `<line class="axis tick" x1="${fmt(px)}" y1="${fmt(bottom)}" x2="${fmt(px)}" y2="${fmt(bottom + 4)}"/>` +
      `<text class="label axis-label" x="${fmt(px)}" y="${fmt(bottom + 16)}" text-anchor="middle">${escapeXml(label(x))}</text>`;
  });

  const lines = series.map((s, i) => {
    const sorted = [...s.points].sort((a, b) => a.x - b.x);
    const coords = sorted.map((p) => (isScore(p.y) ? { x: xPos(p.x), y: yPos(p.y) } : null));
    const d = pathData(coords);
    const path = d ? `<path class="line ${seriesClass(i)}" fill="none" d="${d}"/>` : '';
    const dots = sorted
      .filter((p) => isScore(p.y))
      .map((p) => dot(xPos(p.x), yPos(p.y), `dot ${seriesClass(i)}`, `${s.name}: ${fmt(p.y)}`));
    return path + dots.join('');
  });

  const names = series.map((s) => s.name).join(', ');
  const latest = series.map((s) => {
    const graded = s.points.filter((p) => isScore(p.y)).sort((a, b) => a.x - b.x);
    return graded.length ? `${s.name}: latest ${fmt(graded[graded.length - 1].y)} (${graded.length} graded)` : `${s.name}: none graded`;
  }).join('; ');
  return svgDoc({
    width,
    height,
    className: 'line-chart',
    label: `Line chart of ${names} across ${xs.length} sessions`,
    title: 'Progress',
    desc: `Scores out of ${fmt(yMax)}. ${latest}`,
    body: grid.join('') + axes + ticks.join('') + lines.join('') + legend.markup,
  });
}

// --- sparkline ---------------------------------------------------------------

export function sparklineSvg(values, { width = 120, height = 28 } = {}) {
  const finite = values.filter(isScore);
  if (!finite.length) {
    return svgDoc({ width, height, className: 'sparkline', label: 'No trend data', title: 'Trend', desc: 'No trend data', body: '' });
  }
  const pad = 3; // keeps the end dot inside the box
  let low = Math.min(...finite);
  let high = Math.max(...finite);
  if (low === high) { // a flat series draws a centred line instead of dividing by zero
    low -= 1;
    high += 1;
  }
  const xPos = (i) => (values.length === 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (values.length - 1));
  const yPos = (v) => pad + (height - 2 * pad) * (1 - (v - low) / (high - low));
  const coords = values.map((v, i) => (isScore(v) ? { x: xPos(i), y: yPos(v) } : null));
  const lastIndex = values.findLastIndex(isScore);
  const last = values[lastIndex];

  const summary = `Trend from ${fmt(finite[0])} to ${fmt(last)} over ${finite.length} points`;
  return svgDoc({
    width,
    height,
    className: 'sparkline',
    label: summary,
    title: 'Trend',
    desc: summary,
    body: `<path class="spark series-0" fill="none" d="${pathData(coords)}"/>` +
      dot(xPos(lastIndex), yPos(last), 'spark-last series-0', fmt(last), 2),
  });
}
