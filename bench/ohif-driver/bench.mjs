// OHIF first-image bench: the same OHIF build against Arca (its own /ohif/) and Orthanc (+ DICOMweb plugin),
// each holding the same 1,000-instance CT series; headless Chromium opens the study and the time from
// navigation start to the first non-blank pixels in a cornerstone viewport canvas is measured.
// Started by bench/ohif, which installs what this needs; run `bench/ohif --help` for the options.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import puppeteer from 'puppeteer-core';
import { ctInstance, ctPixels } from './dicom.mjs';
import { serveOhif } from './static-proxy.mjs';

const { values: opt } = parseArgs({
  options: {
    jar: { type: 'string' }, ohif: { type: 'string' }, work: { type: 'string' },
    runs: { type: 'string', default: '5' }, instances: { type: 'string', default: '1000' },
    only: { type: 'string', default: 'arca,orthanc' }, chromium: { type: 'string', default: '/usr/bin/chromium' },
    'keep-metadata-cache': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (opt.help) {
  console.log(`bench/ohif [--runs 5] [--instances 1000] [--only arca,orthanc] [--keep-metadata-cache]
  Each run: restart the server (Arca: also delete its metadata cache, unless --keep-metadata-cache), open the
  viewer in a fresh Chromium profile (first load), open it again in the same browser (second load), then once in
  another fresh profile (warm server, cold browser). Prints medians, min-max and Arca/Orthanc ratios.`);
  process.exit(0);
}
const RUNS = Number(opt.runs), INSTANCES = Number(opt.instances);
const WORK = opt.work;
const ARCA_PORT = 18490, ORTHANC_PORT = 18452, ORTHANC_OHIF_PORT = 18453;
const ADMIN_PASSWORD = 'bench-admin-password';
const ORTHANC_AUTH = 'Basic ' + Buffer.from('bench:bench-password').toString('base64');
// A kept work folder (--work from ARCA_OHIF_BENCH_WORK) keeps the loaded series, and its study UID, for the next bench.
const runFile = path.join(WORK, 'run-id');
const RUN_ID = fs.existsSync(runFile) ? fs.readFileSync(runFile, 'utf8').trim() : String(Date.now() % 1_000_000);
fs.writeFileSync(runFile, RUN_ID);
const STUDY = `1.2.826.0.1.3680043.10.98.${RUN_ID}.1`, SERIES = `${STUDY}.1`;
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- servers ----------------------------------------------------------------------------------------------
class Server {
  constructor(name, start, healthy) { this.name = name; this.startFn = start; this.healthy = healthy; this.proc = null; }
  async start() {
    this.proc = this.startFn();
    const until = Date.now() + 180_000;
    while (Date.now() < until) {
      if (this.proc.exitCode !== null) throw new Error(`${this.name} exited with ${this.proc.exitCode}; see ${WORK}`);
      if (await this.healthy().catch(() => false)) return;
      await sleep(200);
    }
    throw new Error(`${this.name} did not start`);
  }
  async stop() {
    if (!this.proc || this.proc.exitCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 30_000);
    await exited; clearTimeout(timer);
  }
}

const arcaData = path.join(WORK, 'arca');
const arca = new Server('arca', () => spawn('java', ['-Xmx2g', '-jar', opt.jar, 'serve'], {
  cwd: WORK, stdio: ['ignore', fs.openSync(path.join(WORK, 'arca.log'), 'a'), fs.openSync(path.join(WORK, 'arca.log'), 'a')],
  env: { ...process.env, ARCA_DATA_DIR: arcaData, ARCA_HTTP_PORT: String(ARCA_PORT), ARCA_HTTP_HOST: '127.0.0.1',
    ARCA_ADMIN_PASSWORD: ADMIN_PASSWORD, ARCA_VIEWER_DIR: opt.ohif },
}), async () => (await fetch(`http://127.0.0.1:${ARCA_PORT}/health`)).ok);

const orthancDir = path.join(WORK, 'orthanc');
fs.mkdirSync(path.join(orthancDir, 'storage'), { recursive: true });
fs.writeFileSync(path.join(orthancDir, 'config.json'), JSON.stringify({
  Name: 'bench', HttpPort: ORTHANC_PORT, DicomServerEnabled: false,
  StorageDirectory: path.join(orthancDir, 'storage'), IndexDirectory: path.join(orthancDir, 'storage'),
  RemoteAccessAllowed: false, AuthenticationEnabled: true, RegisteredUsers: { bench: 'bench-password' },
  Plugins: ['/usr/share/orthanc/plugins/libOrthancDicomWeb.so'], DicomWeb: { Enable: true, Root: '/dicom-web/' },
}));
const orthanc = new Server('orthanc', () => spawn('/usr/sbin/Orthanc', [path.join(orthancDir, 'config.json')], {
  stdio: ['ignore', fs.openSync(path.join(WORK, 'orthanc.log'), 'a'), fs.openSync(path.join(WORK, 'orthanc.log'), 'a')],
}), async () => (await fetch(`http://127.0.0.1:${ORTHANC_PORT}/system`, { headers: { authorization: ORTHANC_AUTH } })).ok);

// ---- data -------------------------------------------------------------------------------------------------
async function pool(count, parallel, task) {
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => { while (next < count) await task(next++); }));
}

async function load(name, send) {
  const marker = path.join(WORK, `${name}-loaded-${INSTANCES}`);
  if (fs.existsSync(marker)) {
    console.log(`  ${name} holds the series from an earlier run (${WORK})`);
    return;
  }
  const pixels = ctPixels(512);
  const start = Date.now();
  await pool(INSTANCES, 4, async (i) => {
    const dicom = ctInstance({ study: STUDY, series: SERIES, sop: `${SERIES}.${i + 1}`, number: i + 1, pixels });
    const res = await send(dicom);
    if (!res.ok) throw new Error(`${name} refused instance ${i + 1}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  });
  fs.writeFileSync(marker, '');
  console.log(`  loaded ${INSTANCES} instances into ${name} in ${((Date.now() - start) / 1000).toFixed(1)} s`);
}

function stowToArca(dicom) {
  const boundary = 'bench-' + Math.random().toString(16).slice(2);
  const body = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), dicom,
    Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return fetch(`http://127.0.0.1:${ARCA_PORT}/dicom-web/studies`, {
    method: 'POST', body, headers: {
      authorization: 'Basic ' + Buffer.from('admin:' + ADMIN_PASSWORD).toString('base64'), accept: 'application/dicom+json',
      'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
    },
  });
}

function postToOrthanc(dicom) {
  return fetch(`http://127.0.0.1:${ORTHANC_PORT}/instances`, {
    method: 'POST', body: dicom, headers: { authorization: ORTHANC_AUTH, 'content-type': 'application/dicom' },
  });
}

async function arcaSessionCookie() {
  const res = await fetch(`http://127.0.0.1:${ARCA_PORT}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'admin', password: ADMIN_PASSWORD }),
  });
  if (!res.ok) throw new Error(`Arca sign-in: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie()[0].split(';')[0];
  const eq = cookie.indexOf('=');
  return { name: cookie.slice(0, eq), value: cookie.slice(eq + 1), domain: '127.0.0.1', path: '/' };
}

// ---- the browser ------------------------------------------------------------------------------------------
// Runs in the page before the viewer's scripts: notes when cornerstone first says it rendered, and when a
// viewport canvas first holds non-black pixels (the image a user sees), in ms since navigation start.
const PROBE = `
  performance.setResourceTimingBufferSize(20000);
  window.__bench = { pixels: null, rendered: null };
  document.addEventListener('CORNERSTONE_IMAGE_RENDERED', () => { window.__bench.rendered ??= performance.now(); }, true);
  const small = document.createElement('canvas'); small.width = 64; small.height = 64;
  const sctx = small.getContext('2d', { willReadFrequently: true });
  function drawn(canvas) {
    if (!canvas.width || !canvas.height) return false;
    sctx.clearRect(0, 0, 64, 64);
    try { sctx.drawImage(canvas, 0, 0, 64, 64); } catch (e) { return false; }
    const d = sctx.getImageData(0, 0, 64, 64).data;
    for (let i = 0; i < d.length; i += 4) if (d[i] > 8 || d[i + 1] > 8 || d[i + 2] > 8) return true;
    return false;
  }
  function poll() {
    for (const c of document.querySelectorAll('.cornerstone-canvas, .viewport-element canvas')) {
      if (drawn(c)) { window.__bench.pixels = performance.now(); return; }
    }
    requestAnimationFrame(poll);
  }
  requestAnimationFrame(poll);
`;

async function newBrowser() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ohif-bench-profile-'));
  const browser = await puppeteer.launch({
    executablePath: opt.chromium, headless: true, userDataDir: profile, ignoreDefaultArgs: true,
    args: [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--window-size=1280,900', 'about:blank'],
    defaultViewport: { width: 1280, height: 900 },
  });
  return { browser, close: async () => { await browser.close(); fs.rmSync(profile, { recursive: true, force: true }); } };
}

async function openViewer(browser, url, cookie) {
  const page = await browser.newPage();
  await page.evaluateOnNewDocument(PROBE);
  if (cookie) await browser.setCookie(cookie);
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => window.__bench && window.__bench.pixels !== null, { timeout: 90_000, polling: 50 });
  const result = await page.evaluate(() => ({
    pixels: window.__bench.pixels, rendered: window.__bench.rendered,
    resources: performance.getEntriesByType('resource').map((e) => ({
      name: e.name, start: e.startTime, end: e.responseEnd, ttfb: e.responseStart - e.startTime,
      transfer: e.transferSize, decoded: e.decodedBodySize, encoded: e.encodedBodySize,
    })),
  }));
  await page.close();
  return result;
}

// ---- measuring --------------------------------------------------------------------------------------------
const results = {};
const waterfalls = {};

async function measureSide(name, server, url, cookieFn, beforeRestart) {
  const r = { 'first load (server restarted, fresh profile)': [], 'second load (same browser)': [],
    'warm server, fresh profile': [] };
  for (let run = 0; run < RUNS; run++) {
    await server.stop();
    if (beforeRestart) beforeRestart();
    await server.start();
    const cookie = cookieFn ? await cookieFn() : null;
    const first = await newBrowser();
    try {
      const a = await openViewer(first.browser, url, cookie);
      const b = await openViewer(first.browser, url, cookie);
      r['first load (server restarted, fresh profile)'].push(a.pixels);
      r['second load (same browser)'].push(b.pixels);
      if (run === 0) waterfalls[name] = a;
    } finally { await first.close(); }
    const other = await newBrowser();
    try {
      const c = await openViewer(other.browser, url, cookie);
      r['warm server, fresh profile'].push(c.pixels);
    } finally { await other.close(); }
    console.log(`  ${name} run ${run + 1}: ` + Object.entries(r).map(([k, v]) => `${k.split(' (')[0]} ${v.at(-1).toFixed(0)} ms`).join(', '));
  }
  results[name] = r;
}

function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median: mid, min: s[0], max: s.at(-1) };
}

function printWaterfall(name, w) {
  console.log(`\n-- ${name}: requests of the first load up to the first image (${w.pixels.toFixed(0)} ms; cornerstone `
    + `IMAGE_RENDERED at ${w.rendered?.toFixed(0) ?? '-'} ms); start, end, time to first byte, body size`);
  const before = w.resources.filter((e) => e.start <= w.pixels).sort((a, b) => a.start - b.start);
  const frames = before.filter((e) => e.name.includes('/frames/'));
  const files = before.filter((e) => !e.name.includes('/dicom-web/'));
  const slowest = [...files].sort((a, b) => (b.end - b.start) - (a.end - a.start)).slice(0, 3);
  console.log(`  viewer files: ${files.length} requests, ${(files.reduce((n, e) => n + e.decoded, 0) / 1e6).toFixed(1)} MB, `
    + `first ${files[0]?.start.toFixed(0)} ms, last done ${Math.max(...files.map((e) => e.end)).toFixed(0)} ms; slowest: `
    + slowest.map((e) => `${new URL(e.name).pathname} ${(e.end - e.start).toFixed(0)} ms (ttfb ${e.ttfb.toFixed(0)})`).join(', '));
  for (const e of before) {
    if (!e.name.includes('/dicom-web/')) continue;
    if (e.name.includes('/frames/') && e !== frames[0] && e !== frames.at(-1)) continue;
    const u = new URL(e.name);
    const shown = (u.pathname + u.search).replace(/1\.2\.826\.0\.1\.3680043\.10\.98\.[0-9.]+/g, (m) => '…' + m.slice(-6));
    console.log(`  ${e.start.toFixed(0).padStart(6)} ${e.end.toFixed(0).padStart(6)} ttfb ${e.ttfb.toFixed(0).padStart(5)} `
      + `${(e.decoded / 1024).toFixed(0).padStart(7)} KB${e.encoded !== e.decoded ? ` (${(e.encoded / 1024).toFixed(0)} KB on the wire)` : ''}  ${shown.slice(0, 100)}`);
  }
  console.log(`  (${frames.length} frame requests started before the first image; first and last shown)`);
}

const cleanup = async () => { await arca.stop().catch(() => {}); await orthanc.stop().catch(() => {}); };
process.on('SIGINT', async () => { await cleanup(); process.exit(130); });
try {
  const sides = opt.only.split(',');
  console.log(`OHIF first-image bench: ${INSTANCES} CT instances of 512x512 in one series, ${RUNS} runs per side`);
  console.log(`  viewer: ${opt.ohif}; chromium: ${opt.chromium} ${CHROMIUM_FLAGS.join(' ')} --user-data-dir=<fresh>`);
  console.log(`  load average at start: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  if (sides.includes('arca')) {
    await arca.start();
    await load('arca', stowToArca);
    const url = `http://127.0.0.1:${ARCA_PORT}/ohif/viewer?StudyInstanceUIDs=${STUDY}`;
    await measureSide('arca', arca, url, arcaSessionCookie, opt['keep-metadata-cache'] ? null
      : () => fs.rmSync(path.join(arcaData, 'cache', 'dicom-metadata'), { recursive: true, force: true }));
    await arca.stop();
  }
  if (sides.includes('orthanc')) {
    await orthanc.start();
    await load('orthanc', postToOrthanc);
    const proxy = await serveOhif({ dir: path.resolve(opt.ohif), port: ORTHANC_OHIF_PORT, upstream: `http://127.0.0.1:${ORTHANC_PORT}`,
      authorization: ORTHANC_AUTH, name: 'orthanc' });
    const url = `http://127.0.0.1:${ORTHANC_OHIF_PORT}/viewer?StudyInstanceUIDs=${STUDY}`;
    await measureSide('orthanc', orthanc, url, null, null);
    proxy.close();
    await orthanc.stop();
  }
  for (const [name, w] of Object.entries(waterfalls)) printWaterfall(name, w);
  console.log(`\nnavigation start -> first image drawn, ms (median [min-max] of ${RUNS})`);
  const names = Object.keys(results);
  console.log(`${'measure'.padEnd(46)}${names.map((n) => n.padStart(22)).join('')}${names.length === 2 ? '   orthanc/arca' : ''}`);
  for (const measure of Object.keys(results[names[0]])) {
    const cells = names.map((n) => stats(results[n][measure]));
    const line = cells.map((s) => `${s.median.toFixed(0)} [${s.min.toFixed(0)}-${s.max.toFixed(0)}]`.padStart(22)).join('');
    console.log(`${measure.padEnd(46)}${line}${cells.length === 2 ? `   ${(cells[1].median / cells[0].median).toFixed(2)}x` : ''}`);
  }
  console.log(`  load average at end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
} finally {
  await cleanup();
}
