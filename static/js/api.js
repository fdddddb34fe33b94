/**
 * The JSON API client: fetch + decoding of the contract's non-finite strings.
 * No DOM. Every function returns decoded plain data or throws an ApiError whose message
 * names the endpoint and the server's `detail`.
 */

const NONFINITE = Object.freeze({ NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity });

/**
 * The server's `detail` as one readable line: a string as it is; FastAPI's list of
 * {loc, msg} as "field: problem; field: problem" (the field without the leading "body").
 */
export function describeDetail(detail) {
  if (typeof detail === "string") return detail;
  if (!Array.isArray(detail)) return JSON.stringify(detail);
  return detail.map((e) => {
    const where = Array.isArray(e?.loc) ? e.loc.filter((p) => p !== "body").join(".") : "";
    return where ? `${where}: ${e.msg}` : String(e?.msg ?? JSON.stringify(e));
  }).join("; ");
}

/** A failed API call: `status` is the HTTP status, `detail` the server's explanation;
 * `reason` the explanation alone, readable, for a message next to the control. */
export class ApiError extends Error {
  constructor(path, status, detail) {
    const reason = describeDetail(detail);
    super(`${path} answered ${status}: ${reason}`);
    this.status = status;
    this.detail = detail;
    this.reason = reason;
  }
}

/**
 * Turns the strings "NaN", "Infinity" and "-Infinity" back into numbers, anywhere in an
 * answer. No other field of the API can hold those exact strings (ids look like "z2"),
 * so decoding every occurrence is both simple and safe.
 */
export function decodeNonfinite(value) {
  if (Array.isArray(value)) return value.map(decodeNonfinite);
  if (typeof value === "string") return Object.hasOwn(NONFINITE, value) ? NONFINITE[value] : value;
  if (value !== null && typeof value === "object") {
    const out = {};
    for (const [key, v] of Object.entries(value)) out[key] = decodeNonfinite(v);
    return out;
  }
  return value;
}

/** The inverse of decodeNonfinite, for data-value attributes (JSON has no NaN). */
export function encodeNonfinite(value) {
  return JSON.stringify(value, (key, v) => {
    if (typeof v !== "number" || Number.isFinite(v)) return v;
    return Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
  });
}

// A 503 says the server's compute queue is full for a moment (a whole class pressing Next
// in the same second): wait as its Retry-After asks and try again, a few times, before
// showing the error.
const BUSY_RETRIES = 3;
const MAX_RETRY_WAIT_S = 5;

/** fetchFn(path, init), again after a 503's Retry-After, at most BUSY_RETRIES more times. */
async function fetchRetrying(fetchFn, path, init, sleep) {
  for (let attempt = 0; ; attempt += 1) {
    const response = await fetchFn(path, init);
    if (response.status !== 503 || attempt === BUSY_RETRIES) return response;
    const wait = Number(response.headers?.get?.("Retry-After"));
    await sleep(1000 * Math.min(MAX_RETRY_WAIT_S, Number.isFinite(wait) && wait > 0 ? wait : 1));
  }
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function request(fetchFn, method, path, body, { text = false, sleep = pause, keepalive = false } = {}) {
  const init = { method, headers: { Accept: text ? "text/plain" : "application/json" } };
  if (keepalive) init.keepalive = true; // sent even as the page unloads
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetchRetrying(fetchFn, path, init, sleep);
  if (response.status === 204) return null;
  if (text && response.ok) return response.text();
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(path, response.status, data?.detail ?? response.statusText);
  return decodeNonfinite(data);
}

const query = (params) => new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();

/**
 * Calls on one session, one at a time: the server answers a second concurrent request on a
 * session with 409 "session busy", so the page never sends one (the stage and a scene's
 * panel may share a session).
 */
function oneAtATime() {
  const tails = new Map();
  return (id, run) => {
    const result = (tails.get(id) ?? Promise.resolve()).then(run, run);
    const tail = result.catch(() => null);
    tails.set(id, tail);
    tail.then(() => { if (tails.get(id) === tail) tails.delete(id); });
    return result;
  };
}

/** The API of contract §3 bound to a fetch function (the page passes window.fetch). */
export function createApi(fetchFn = (...args) => fetch(...args), base = "/api/v1", { sleep = pause } = {}) {
  const plain = (method, path, body, options) => request(fetchFn, method, base + path, body, { sleep, ...options });
  const queued = oneAtATime();
  const open = new Set(); // ids of the sessions this page made and has not deleted
  const call = (method, path, body, options) => {
    const session = /^\/sessions\/([^/?]+)/.exec(path);
    return session ? queued(session[1], () => plain(method, path, body, options)) : plain(method, path, body, options);
  };
  const forward = (id, body) => plain("POST", `/sessions/${id}/forward`, body);
  const backward = (id) => plain("POST", `/sessions/${id}/backward`, {});
  return {
    listPresets: () => call("GET", "/presets"),
    getPreset: (name) => call("GET", `/presets/${encodeURIComponent(name)}`),
    checkClaim: (name, body = {}) => call("POST", `/presets/${encodeURIComponent(name)}/check`, body),
    backprop: (body) => call("POST", "/backprop", body),
    createSession: async (body) => {
      const session = await call("POST", "/sessions", body);
      open.add(session.id);
      return session;
    },
    forward: (id, body = {}) => queued(id, () => forward(id, body)),
    backward: (id) => queued(id, () => backward(id)),
    // Forward then backward in one turn of the session's queue: a /train or /step slipped
    // in between would change the parameters, and the backward would answer 409.
    trace: (id, body = {}) => queued(id, async () => [await forward(id, body), await backward(id)]),
    step: (id, lr) => call("POST", `/sessions/${id}/step`, { lr }),
    train: (id, body) => call("POST", `/sessions/${id}/train`, body),
    nudge: (body) => call("POST", "/nudge", body),
    gradcheck: (body) => call("POST", "/gradcheck", body),
    hvp: (body) => call("POST", "/hvp", body),
    hessian: (body) => call("POST", "/hessian", body),
    eigen: (body) => call("POST", "/eigen", body),
    newton: (body) => call("POST", "/newton", body),
    getSession: (id) => call("GET", `/sessions/${id}`),
    predict: (id, body) => call("POST", `/sessions/${id}/predict`, body),
    deleteSession: (id) => {
      open.delete(id);
      return call("DELETE", `/sessions/${id}`);
    },
    /** Deletes every session this page made, at once and past the queue, with requests
     * that outlive the page (called as it unloads: a reload must not leave them behind). */
    releaseSessions: () => {
      for (const id of open) plain("DELETE", `/sessions/${id}`, undefined, { keepalive: true }).catch(() => null);
      open.clear();
    },
    dataset: (name, params) => call("GET", `/datasets/${encodeURIComponent(name)}?${query(params)}`),
    csvDataset: (body) => call("POST", "/datasets/csv", body),
    exportNumpy: (body) => call("POST", "/export/numpy", body, { text: true }),
  };
}
