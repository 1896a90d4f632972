// Loads the node's live view in headless chromium and checks it the way a person would: every sensor's input, dense
// and scan panels keep changing, its fps text shows a rate and updates, and the page polls the node at its rate.
// Saves a screenshot. Prints one JSON report on stdout; exit status 0 when every check passed, 1 otherwise.
//
//   node check-view.mjs <view url> <screenshot.png> <sensor count> [seconds to watch]
//
// Chromium: $CHROMIUM or Debian's /usr/bin/chromium (apt-get install chromium), driven by playwright-core.
import { chromium } from 'playwright-core';

const [url, screenshot, sensorArg, secondsArg] = process.argv.slice(2);
if (!url || !screenshot || !sensorArg) {
  console.error('usage: node check-view.mjs <view url> <screenshot.png> <sensor count> [seconds to watch]');
  process.exit(2);
}
const sensors = Number(sensorArg);
const watchMs = 1000 * Number(secondsArg || 6);
const PANELS = ['input', 'dense', 'scan'];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // As ENVIRONMENT.md found: without the network flags chromium keeps trying connections that cannot succeed here.
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--no-first-run'],
});
const problems = [];
const report = {url, sensors: {}, problems};
try {
  const page = await browser.newPage({viewport: {width: 1360, height: 1000}});
  const requests = {state: 0, pictures: {}};
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (u.pathname.endsWith('/state.json')) requests.state++;
    if (u.pathname.endsWith('/frame')) {
      const s = u.searchParams.get('sensor');
      requests.pictures[s] = (requests.pictures[s] || 0) + 1;
    }
  });
  const external = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(new URL(url).origin)) external.push(r.url());
  });
  await page.goto(url);
  // Every sensor's panel drawn at least once: its dense canvas has the picture's size, not the placeholder's.
  await page.waitForFunction((n) => {
    const drawn = [...document.querySelectorAll('section.sensor canvas.dense')].filter((c) => c.width > 4);
    return drawn.length >= n;
  }, sensors, {timeout: 60_000});

  // A hash of each canvas's pixels and each sensor's stats text, sampled every 200 ms.
  const sample = () => page.evaluate((panels) => {
    const hash = (canvas) => {
      const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let h = 2166136261;
      for (let i = 0; i < d.length; i += 4) h = Math.imul(h ^ (d[i] | d[i + 1] << 8 | d[i + 2] << 16), 16777619);
      return `${canvas.width}x${canvas.height}:${(h >>> 0).toString(16)}`;
    };
    const out = {};
    for (const s of document.querySelectorAll('section.sensor')) {
      const entry = {stats: s.querySelector('.stats').textContent, fps: s.querySelector('.stats .fps').textContent};
      panels.forEach((p) => (entry[p] = hash(s.querySelector(`canvas.${p}`))));
      out[s.dataset.sensor] = entry;
    }
    return out;
  }, PANELS);

  const statesBefore = requests.state;
  const picturesBefore = {...requests.pictures};
  const started = Date.now();
  const samples = [];
  while (Date.now() - started < watchMs) {
    samples.push(await sample());
    await page.waitForTimeout(200);
  }
  const seconds = (Date.now() - started) / 1000;
  report.watched_s = seconds;
  report.state_polls_per_s = (requests.state - statesBefore) / seconds;
  report.samples = samples.length;
  report.external_requests = external;
  if (external.length > 0) problems.push(`the page asked for something outside the node: ${external.join(', ')}`);
  if (report.state_polls_per_s < 5) problems.push(`state polled at ${report.state_polls_per_s.toFixed(1)} Hz, < 5`);

  const ids = Object.keys(samples[samples.length - 1]);
  if (ids.length < sensors) problems.push(`${ids.length} sensor panels, expected ${sensors}`);
  for (const id of ids) {
    const seen = samples.map((s) => s[id]).filter(Boolean);
    const r = {};
    for (const p of [...PANELS, 'stats', 'fps']) {
      const values = seen.map((s) => s[p]);
      let changes = 0;
      for (let i = 1; i < values.length; i++) if (values[i] !== values[i - 1]) changes++;
      r[p] = {distinct: new Set(values).size, changes_per_s: changes / seconds};
    }
    r.pictures_per_s = ((requests.pictures[id] || 0) - (picturesBefore[id] || 0)) / seconds;
    r.fps_text = seen[seen.length - 1].fps;
    r.stats_text = seen[seen.length - 1].stats;
    report.sensors[id] = r;
    const kind = seen[seen.length - 1].stats;
    for (const p of PANELS) {
      if (r[p].distinct < 2) problems.push(`${id}: the ${p} panel's pixels never changed (${kind})`);
    }
    if (r.stats.distinct < 2) problems.push(`${id}: the stats text never changed`);
    if (!(parseFloat(r.fps_text) > 0)) problems.push(`${id}: no fps shown (${r.fps_text})`);
  }
  await page.screenshot({path: screenshot, fullPage: true});
  report.screenshot = screenshot;
} catch (e) {
  problems.push(String(e && e.stack || e));
} finally {
  await browser.close();
}
console.log(JSON.stringify(report, null, 2));
process.exit(problems.length === 0 ? 0 : 1);
