/** The training panel's JSON calls: FastAPI's 422 details become one readable message. */

import { decodeNonfinite } from "../../api.js";

export async function post(path, body) {
  const r = await fetch(`/api/v1${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const data = await r.json().catch(() => null);
  if (!r.ok) {
    const d = data?.detail;
    throw new Error(Array.isArray(d) ? d.map((e) => e.msg).join("; ") : String(d ?? r.status));
  }
  return decodeNonfinite(data);
}

export async function getJson(path) {
  const r = await fetch(`/api/v1${path}`);
  if (!r.ok) throw new Error(`${path}: ${r.status}`);
  return decodeNonfinite(await r.json());
}
