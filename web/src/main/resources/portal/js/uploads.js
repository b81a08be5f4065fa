// Sending files to a folder. Small files go in one PUT; large ones use the tus 1.0 resumable protocol at
// /api/v1/uploads, so a dropped connection or a reloaded page continues where it stopped instead of
// starting a multi-gigabyte transfer again.
import { PORTAL_HEADERS, errorFrom, xhrError, ApiError, seg } from './api.js';

const MB = 1024 * 1024;

/** Files above this many bytes go through tus; localStorage "arca.tusThreshold" overrides it (tests, support). */
export function tusThreshold() {
  return setting('arca.tusThreshold', 64 * MB);
}

/** tus PATCH size; localStorage "arca.tusChunk" overrides it. */
function chunkSize() {
  return setting('arca.tusChunk', 8 * MB);
}

function setting(key, fallback) {
  const value = Number(localStorage.getItem(key));
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * Uploads one file into a folder. onProgress(sentBytes, totalBytes, note) reports as bytes leave.
 * Returns {promise, cancel}; the promise resolves with {itemId, resumable}.
 */
export function uploadFile(folderId, file, onProgress) {
  const control = { xhr: null, cancelled: false };
  const promise = file.size > tusThreshold()
    ? tusUpload(folderId, file, onProgress, control)
    : putUpload(folderId, file, onProgress, control);
  return {
    promise,
    cancel: () => {
      control.cancelled = true;
      control.xhr?.abort();
    },
  };
}

function putUpload(folderId, file, onProgress, control) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    control.xhr = xhr;
    xhr.open('PUT', `/api/v1/folders/${seg(folderId)}/files/${seg(file.name)}`);
    xhr.setRequestHeader('X-Requested-With', PORTAL_HEADERS['X-Requested-With']);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, file.size);
    xhr.onload = () => {
      if (xhr.status === 200 || xhr.status === 201) {
        onProgress(file.size, file.size);
        resolve({ itemId: JSON.parse(xhr.responseText).id, resumable: false });
      } else {
        reject(xhrError(xhr));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'The connection was lost during the upload. Try again.'));
    xhr.onabort = () => reject(new ApiError(0, 'cancelled', 'Upload cancelled.'));
    xhr.send(file);
  });
}

// ---- tus 1.0 ----

const TUS = { 'Tus-Resumable': '1.0.0', 'X-Requested-With': PORTAL_HEADERS['X-Requested-With'] };

/** Where the upload URL of this exact file into this folder is remembered across page loads. */
function resumeKey(folderId, file) {
  return `arca.tus:${folderId}:${file.name}:${file.size}:${file.lastModified}`;
}

function base64(text) {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

async function tusUpload(folderId, file, onProgress, control) {
  const key = resumeKey(folderId, file);
  let url = localStorage.getItem(key);
  let offset = 0;
  if (url) {
    offset = await tusOffset(url);
    if (offset === null) {
      localStorage.removeItem(key);
      url = null;
      offset = 0;
    } else {
      onProgress(offset, file.size, 'Resuming');
    }
  }
  if (!url) {
    url = await tusCreate(folderId, file);
    localStorage.setItem(key, url);
  }
  let itemId = null;
  let failures = 0;
  while (itemId === null) {
    if (control.cancelled) return abandon(url, key);
    const end = Math.min(offset + chunkSize(), file.size);
    try {
      const answer = await tusPatch(url, file.slice(offset, end), offset, control,
        (loaded) => onProgress(offset + loaded, file.size));
      offset = answer.offset;
      failures = 0;
      onProgress(offset, file.size);
      if (answer.itemId) itemId = answer.itemId;
      else if (offset >= file.size) break;
    } catch (e) {
      if (control.cancelled) return abandon(url, key);
      // 4xx other than a lost offset race means the server refused: retrying will not help.
      if (e.status >= 400 && e.status < 500 && e.status !== 409) {
        if (e.status === 404 || e.status === 410) localStorage.removeItem(key);
        throw e;
      }
      if (++failures > 5) throw e;
      onProgress(offset, file.size, 'Connection lost, retrying');
      await pause(500 * 2 ** failures);
      const known = await tusOffset(url).catch(() => null);
      if (known === null) throw e;
      offset = known;
    }
  }
  localStorage.removeItem(key);
  return { itemId, resumable: true };
}

async function tusCreate(folderId, file) {
  const metadata = [
    ['folderId', folderId], ['filename', file.name], ['filetype', file.type || 'application/octet-stream'], ['replace', 'true'],
  ].map(([k, v]) => `${k} ${base64(v)}`).join(',');
  let response;
  try {
    response = await fetch('/api/v1/uploads', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { ...TUS, 'Upload-Length': String(file.size), 'Upload-Metadata': metadata },
    });
  } catch {
    throw new ApiError(0, 'network', 'The server could not be reached to start the upload.');
  }
  if (response.status !== 201) throw errorFrom(response.status, await response.json().catch(() => null));
  const location = response.headers.get('Location');
  if (!location) throw new ApiError(500, 'tus_no_location', 'The server did not say where to send the file.');
  const parsed = new URL(location, window.location.href);
  return parsed.pathname + parsed.search;
}

/** The server's offset for an upload, or null when it no longer knows the upload. */
async function tusOffset(url) {
  const response = await fetch(url, { method: 'HEAD', credentials: 'same-origin', headers: TUS, cache: 'no-store' });
  if (!response.ok) return null;
  const offset = Number(response.headers.get('Upload-Offset'));
  return Number.isFinite(offset) ? offset : null;
}

function tusPatch(url, blob, offset, control, onChunkProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    control.xhr = xhr;
    xhr.open('PATCH', url);
    for (const [k, v] of Object.entries(TUS)) xhr.setRequestHeader(k, v);
    xhr.setRequestHeader('Upload-Offset', String(offset));
    xhr.setRequestHeader('Content-Type', 'application/offset+octet-stream');
    xhr.upload.onprogress = (e) => onChunkProgress(e.loaded);
    xhr.onload = () => {
      if (xhr.status === 204 || xhr.status === 200) {
        resolve({ offset: Number(xhr.getResponseHeader('Upload-Offset')), itemId: xhr.getResponseHeader('Arca-Item-Id') });
      } else {
        reject(xhrError(xhr));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'The connection was lost during the upload.'));
    xhr.onabort = () => reject(new ApiError(0, 'cancelled', 'Upload cancelled.'));
    xhr.send(blob);
  });
}

async function abandon(url, key) {
  localStorage.removeItem(key);
  await fetch(url, { method: 'DELETE', credentials: 'same-origin', headers: TUS }).catch(() => {});
  throw new ApiError(0, 'cancelled', 'Upload cancelled.');
}

function pause(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
