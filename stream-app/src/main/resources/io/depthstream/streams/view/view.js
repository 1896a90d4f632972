// depthstream live view: polls the node (state.json at the view's rate, a sensor's pictures when its snapshot
// changed) and draws, per sensor, the input and the dense depth colour-mapped, the laser scan and the rates.
// Wire formats: ViewHandler.java. No libraries: this file is all there is.
'use strict';

// Google's Turbo colour map (Mikhailov 2019), the polynomial approximation the project's DepthColormap uses,
// baked into 256 RGB entries.
const TURBO = (() => {
  const lut = new Uint8ClampedArray(256 * 3);
  const channel = (v) => Math.round(Math.min(1, Math.max(0, v)) * 255);
  for (let i = 0; i < 256; i++) {
    const x = i / 255, x2 = x * x, x3 = x2 * x, x4 = x2 * x2, x5 = x4 * x;
    lut[3 * i] = channel(0.13572138 + 4.61539260 * x - 42.66032258 * x2 + 132.13108234 * x3 - 152.94239396 * x4
        + 59.28637943 * x5);
    lut[3 * i + 1] = channel(0.09140261 + 2.19418839 * x + 4.84296658 * x2 - 14.18503333 * x3 + 4.27729857 * x4
        + 2.82956604 * x5);
    lut[3 * i + 2] = channel(0.10667330 + 12.64194608 * x - 60.58204836 * x2 + 110.36276771 * x3 - 89.90310912 * x4
        + 27.34824973 * x5);
  }
  return lut;
})();

const UNITS_PER_METRE = 256; // Preview.java: uint16 depth in 1/256 m, 0 = none
const panels = new Map();    // sensor id -> {root, stats, input, dense, scan, version}
let refreshMs = 100;

function el(tag, attrs, parent) {
  const e = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => (k === 'text' ? (e.textContent = v) : e.setAttribute(k, v)));
  if (parent) parent.appendChild(e);
  return e;
}

function panelOf(s) {
  let p = panels.get(s.sensor);
  if (p) return p;
  const root = el('section', {class: 'sensor', 'data-sensor': s.sensor}, document.getElementById('sensors'));
  el('h2', {text: s.sensor}, root);
  const meta = el('div', {class: 'meta'}, root);
  const stats = el('div', {class: 'stats'}, root);
  const row = el('div', {class: 'panels'}, root);
  const figure = (cls, caption) => {
    const f = el('figure', {}, row);
    const c = el('canvas', {class: cls, width: cls === 'scan' ? 240 : 4, height: cls === 'scan' ? 240 : 3}, f);
    el('figcaption', {text: caption}, f);
    return c;
  };
  p = {root, meta, stats, input: figure('input', 'input (measured depth)'), dense: figure('dense', 'dense depth'),
    scan: figure('scan', 'laser scan (guidance)'), version: -1, loading: false};
  panels.set(s.sensor, p);
  return p;
}

const fmt = (v, digits) => (Number.isFinite(Number(v)) ? Number(v).toFixed(digits) : '–');

function showStats(p, s) {
  p.meta.textContent = `${s.kind} · ${s.method} · ${s.width}x${s.height}`;
  const l = s.latency_ms;
  const a = s.alert;
  p.stats.innerHTML = '';
  el('span', {class: 'fps', text: `${fmt(s.fps, 1)} fps`}, p.stats);
  el('span', {text: ` · latency last ${fmt(l.last, 1)} ms, p50 ${fmt(l.p50, 1)} ms, p99 ${fmt(l.p99, 1)} ms`
      + ` · frame #${s.sequence}`}, p.stats);
  if (a.obstacle) {
    el('span', {class: 'alert', text: ` · OBSTACLE at ${fmt(a.nearest_m, 2)} m`}, p.stats);
  } else {
    el('span', {text: ` · nearest in corridor ${fmt(a.nearest_m, 2)} m`}, p.stats);
  }
}

// The [2 %, 98 %] range of the valid samples, as DepthColormap.autoRange: outliers do not flatten the contrast.
function colourRange(samples) {
  const valid = samples.filter((v) => v > 0).sort();
  if (valid.length === 0) return [0, 1];
  const lo = valid[Math.floor(0.02 * (valid.length - 1))];
  const hi = valid[Math.ceil(0.98 * (valid.length - 1))];
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

function drawDepth(canvas, width, height, samples, range) {
  if (width === 0) {
    canvas.width = 160; canvas.height = 40;
    const g = canvas.getContext('2d');
    g.fillStyle = '#777'; g.font = '12px sans-serif'; g.fillText('no depth input (focal stack)', 8, 24);
    return;
  }
  canvas.width = width; canvas.height = height;
  const g = canvas.getContext('2d');
  const img = g.createImageData(width, height);
  const scale = 255 / (range[1] - range[0]);
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i];
    const o = 4 * i;
    if (v > 0) {
      const k = 3 * Math.round(Math.min(255, Math.max(0, (v - range[0]) * scale)));
      img.data[o] = TURBO[k]; img.data[o + 1] = TURBO[k + 1]; img.data[o + 2] = TURBO[k + 2];
    }
    img.data[o + 3] = 255;
  }
  g.putImageData(img, 0, 0);
}

// Polar plot of the LaserScan: camera at the bottom centre, forward up; angles are counter-clockwise seen from above
// (positive = left), angle_min is the rightmost sector (guidance.proto).
function drawScan(canvas, scan) {
  const g = canvas.getContext('2d');
  const w = canvas.width, h = canvas.height, cx = w / 2, cy = h - 10;
  g.fillStyle = '#000'; g.fillRect(0, 0, w, h);
  const ranges = scan.ranges_m.map(Number);
  const finite = ranges.filter(Number.isFinite);
  const far = Math.max(1, Math.min(Number(scan.range_max_m), finite.length ? Math.max(...finite) * 1.1 : 10));
  const px = (h - 20) / far;
  g.strokeStyle = '#333'; g.fillStyle = '#777'; g.font = '10px sans-serif';
  const step = Math.pow(10, Math.floor(Math.log10(far)));
  for (let r = step; r <= far; r += step) {
    g.beginPath(); g.arc(cx, cy, r * px, Math.PI, 2 * Math.PI); g.stroke();
    g.fillText(`${r} m`, cx + 2, cy - r * px - 2);
  }
  const at = (angle, r) => [cx - Math.sin(angle) * r * px, cy - Math.cos(angle) * r * px];
  ranges.forEach((r, i) => {
    const angle = Number(scan.angle_min_rad) + i * Number(scan.angle_increment_rad);
    g.beginPath(); g.moveTo(cx, cy);
    if (Number.isNaN(r)) {
      g.strokeStyle = '#444'; g.lineTo(...at(angle, far * 0.15)); g.stroke();
    } else if (r === Infinity) {
      g.strokeStyle = '#1d4d2a'; g.lineTo(...at(angle, far)); g.stroke();
    } else if (r === -Infinity) {
      g.fillStyle = '#ff3b30'; g.fillRect(...at(angle, far * 0.03), 4, 4);
    } else {
      g.strokeStyle = '#2a6f3a'; g.lineTo(...at(angle, r)); g.stroke();
      g.fillStyle = '#7CFFB2'; const [x, y] = at(angle, r); g.fillRect(x - 2, y - 2, 4, 4);
    }
  });
  g.fillStyle = '#fff'; g.fillRect(cx - 3, cy - 3, 6, 6);
}

async function loadPictures(p, s) {
  if (p.loading || p.version === s.version) return;
  p.loading = true;
  try {
    const res = await fetch(`frame?sensor=${encodeURIComponent(s.sensor)}`, {cache: 'no-store'});
    if (!res.ok) return;
    const buf = await res.arrayBuffer();
    const head = new DataView(buf, 0, 8);
    const iw = head.getUint16(0, true), ih = head.getUint16(2, true);
    const dw = head.getUint16(4, true), dh = head.getUint16(6, true);
    const all = new Uint16Array(buf.slice(8)); // little-endian on every browser platform in use
    const input = all.subarray(0, iw * ih);
    const dense = all.subarray(iw * ih, iw * ih + dw * dh);
    const range = colourRange(Uint16Array.from(dense));
    drawDepth(p.input, iw, ih, input, range);
    drawDepth(p.dense, dw, dh, dense, range);
    p.version = s.version;
  } finally {
    p.loading = false;
  }
}

async function tick() {
  const started = performance.now();
  const status = document.getElementById('status');
  try {
    const res = await fetch('state.json', {cache: 'no-store'});
    const state = await res.json();
    refreshMs = 1000 / state.rate_hz;
    for (const s of state.sensors) {
      const p = panelOf(s);
      showStats(p, s);
      drawScan(p.scan, s.scan);
      loadPictures(p, s);
    }
    status.textContent = state.sensors.length === 0
      ? 'waiting for frames…'
      : `${state.sensors.length} sensor(s), refresh ${state.rate_hz} Hz, updated ${new Date().toLocaleTimeString()}`;
  } catch (e) {
    status.textContent = `node not answering (${e.message}); retrying`;
  }
  // The next poll one period after this one started, so the page keeps the view's rate while the node answers.
  setTimeout(tick, Math.max(0, refreshMs - (performance.now() - started)));
}

tick();
