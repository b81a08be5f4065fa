// The OHIF build served the way an Orthanc site serves it: its own files from disk at '/' (as the build
// assumes), an app-config.js naming '/dicom-web' on the same origin, and '/dicom-web' passed through to the
// DICOMweb server with keep-alive connections and its credentials added. Same revalidation headers as Arca's
// /ohif/ (no-cache + ETag), so the browser caches the viewer's files the same way on both sides.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = {
  html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8', json: 'application/json', map: 'application/json', wasm: 'application/wasm',
  svg: 'image/svg+xml', png: 'image/png', jpg: 'image/jpeg', gif: 'image/gif', ico: 'image/x-icon',
  woff: 'font/woff', woff2: 'font/woff2', ttf: 'font/ttf', xml: 'application/xml', txt: 'text/plain; charset=utf-8',
};

export function appConfig(name) {
  return `window.config = {
  name: '${name}', routerBasename: '/', extensions: [], modes: [], customizationService: {},
  showStudyList: true, maxNumberOfWebWorkers: 3, showWarningMessageForCrossOrigin: false,
  showCPUFallbackMessage: true, showLoadingIndicator: true, strictZSpacingForVolumeViewport: true,
  investigationalUseDialog: { option: 'never' }, defaultDataSourceName: 'dicomweb',
  dataSources: [{
    namespace: '@ohif/extension-default.dataSourcesModule.dicomweb', sourceName: 'dicomweb',
    configuration: {
      friendlyName: '${name}', name: '${name}', qidoRoot: '/dicom-web', wadoRoot: '/dicom-web', wadoUriRoot: '/dicom-web',
      qidoSupportsIncludeField: true, imageRendering: 'wadors', thumbnailRendering: 'wadors', enableStudyLazyLoad: true,
      supportsFuzzyMatching: true, supportsWildcard: true, omitQuotationForMultipartRequest: true,
      bulkDataURI: { enabled: true },
    },
  }],
};
`;
}

/** Starts the server; resolves to the http.Server once it listens. upstream: http://host:port of the DICOMweb server. */
export function serveOhif({ dir, port, upstream, authorization, name }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const target = new URL(upstream);
  const config = appConfig(name);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname.startsWith('/dicom-web')) {
      const headers = { ...req.headers };
      if (authorization) headers.authorization = authorization;
      const out = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent }, (up) => {
        res.writeHead(up.statusCode, up.headers);
        up.pipe(res);
      });
      out.on('error', (e) => { res.writeHead(502); res.end(String(e)); });
      req.pipe(out);
      return;
    }
    if (url.pathname === '/app-config.js') {
      res.writeHead(200, { 'content-type': TYPES.js, 'cache-control': 'no-cache' });
      res.end(config);
      return;
    }
    let file = path.join(dir, decodeURIComponent(url.pathname));
    if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      if (/\.[A-Za-z0-9]{1,8}$/.test(url.pathname)) { res.writeHead(404); res.end(); return; }
      file = path.join(dir, 'index.html');
    }
    const stat = fs.statSync(file);
    const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    const ext = path.extname(file).slice(1).toLowerCase();
    const headers = { 'content-type': TYPES[ext] || 'application/octet-stream', 'cache-control': 'no-cache', etag };
    if (req.headers['if-none-match'] === etag) { res.writeHead(304, headers); res.end(); return; }
    headers['content-length'] = stat.size;
    res.writeHead(200, headers);
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
