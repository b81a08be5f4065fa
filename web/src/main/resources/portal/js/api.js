// The REST API as the portal uses it: JSON in and out with the session cookie, and the server's error
// sentence carried to the user unchanged.

/** A failed call: the HTTP status, the server's error code and its human sentence. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let onSessionLost = () => {};

/** Called when a signed-in call comes back 401: the session ended on the server. */
export function whenSessionLost(handler) {
  onSessionLost = handler;
}

// Marks the request as the portal's own script: lets the server leave out its Basic challenge, which would
// otherwise make some browsers pop up a password box over the page.
const PORTAL_HEADERS = { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' };

/** Calls /api/v1{path}; resolves with the parsed JSON (null for 204), rejects with an ApiError. */
export async function api(method, path, body) {
  const init = { method, headers: { ...PORTAL_HEADERS }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`/api/v1${path}`, init);
  } catch {
    throw new ApiError(0, 'network', 'The server could not be reached. Check the connection and try again.');
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const error = errorFrom(response.status, data);
    if (response.status === 401 && !path.startsWith('/auth/')) onSessionLost(error);
    throw error;
  }
  return data;
}

/** An ApiError from a status and a parsed (or unparsable) error body. */
export function errorFrom(status, data) {
  if (data && typeof data.message === 'string') return new ApiError(status, data.error ?? `http_${status}`, data.message);
  if (status === 0) return new ApiError(0, 'network', 'The connection to the server was lost.');
  return new ApiError(status, `http_${status}`, `The server answered with status ${status}.`);
}

/** An ApiError from a finished XMLHttpRequest. */
export function xhrError(xhr) {
  let data = null;
  try {
    data = JSON.parse(xhr.responseText);
  } catch {
    data = null;
  }
  return errorFrom(xhr.status, data);
}

/** Path segment encoding for ids and names. */
export const seg = encodeURIComponent;

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body ?? {});
export const put = (path, body) => api('PUT', path, body ?? {});
export const patch = (path, body) => api('PATCH', path, body ?? {});
export const del = (path) => api('DELETE', path);

export { PORTAL_HEADERS };
