/**
 * The JSON API client: fetch + decoding of the contract's non-finite strings.
 * No DOM. Every function returns decoded plain data or throws an ApiError whose message
 * names the endpoint and the server's `detail`.
 */

const NONFINITE = Object.freeze({ NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity });

/** A failed API call: `status` is the HTTP status, `detail` the server's explanation. */
export class ApiError extends Error {
  constructor(path, status, detail) {
    super(`${path} answered ${status}: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`);
    this.status = status;
    this.detail = detail;
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

async function request(fetchFn, method, path, body) {
  const init = { method, headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetchFn(path, init);
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(path, response.status, data?.detail ?? response.statusText);
  return decodeNonfinite(data);
}

/** The API of contract §3 bound to a fetch function (the page passes window.fetch). */
export function createApi(fetchFn = (...args) => fetch(...args), base = "/api/v1") {
  const call = (method, path, body) => request(fetchFn, method, base + path, body);
  return {
    listPresets: () => call("GET", "/presets"),
    getPreset: (name) => call("GET", `/presets/${encodeURIComponent(name)}`),
    checkClaim: (name, body = {}) => call("POST", `/presets/${encodeURIComponent(name)}/check`, body),
    backprop: (body) => call("POST", "/backprop", body),
    createSession: (body) => call("POST", "/sessions", body),
    forward: (id, body = {}) => call("POST", `/sessions/${id}/forward`, body),
    backward: (id) => call("POST", `/sessions/${id}/backward`, {}),
    step: (id, lr) => call("POST", `/sessions/${id}/step`, { lr }),
    train: (id, body) => call("POST", `/sessions/${id}/train`, body),
    nudge: (body) => call("POST", "/nudge", body),
    gradcheck: (body) => call("POST", "/gradcheck", body),
    hvp: (body) => call("POST", "/hvp", body),
    hessian: (body) => call("POST", "/hessian", body),
    eigen: (body) => call("POST", "/eigen", body),
    newton: (body) => call("POST", "/newton", body),
    deleteSession: (id) => call("DELETE", `/sessions/${id}`),
  };
}
