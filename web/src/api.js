// The REST API of `sof serve` (docs/protocol.md), with the bearer token.
import { auth } from './auth.js';

export class ApiError extends Error {
  constructor(status, body) {
    const reason = body && (body.reason || body.error);
    super(reason ? `${reason} (HTTP ${status})` : `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function call(method, path, body) {
  const headers = { Authorization: `Bearer ${auth.token()}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, { reason: `the server cannot be reached (${e.message})` });
  }
  if (res.status === 401) auth.expired();
  if (res.status === 204) return null;
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = { reason: text.slice(0, 200) }; }
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

export const api = {
  questions: () => call('GET', '/v1/questions').then((r) => r.questions),
  sessions: (limit = 50, cursor = '') =>
    call('GET', `/v1/sessions?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
  session: (id) => call('GET', `/v1/sessions/${encodeURIComponent(id)}`),
  deleteSession: (id) => call('DELETE', `/v1/sessions/${encodeURIComponent(id)}`),
  progress: (limit = 50) => call('GET', `/v1/progress?limit=${limit}`).then((r) => r.sessions),
};

/** Public: which sign-in methods this server offers. */
export async function authConfig() {
  const res = await fetch('/v1/auth/config');
  if (!res.ok) throw new ApiError(res.status, null);
  return res.json();
}
