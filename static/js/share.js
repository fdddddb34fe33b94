/**
 * The `s=` share parameter: a JSON setup, deflated and written as base64url behind a
 * version prefix ("1.…"), so a link carries a whole edited setup in a few hundred
 * characters and a later format can still tell old links apart. Pure (no DOM); uses the
 * platform's CompressionStream, present in browsers and in Node ≥ 18.
 */

export const SHARE_VERSION = 1;
// Longer URLs are cut by some chat tools and proxies; 6000 characters is safe everywhere.
export const MAX_SHARE_CHARS = 6000;
// A bound on the inflated JSON, so a crafted link cannot make the page allocate a lot.
const MAX_JSON_BYTES = 200000;

/** A reason this page gives itself (other errors mean the text is damaged). */
class ShareError extends Error {}

async function pipe(bytes, stream) {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

function toBase64url(bytes) {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new ShareError("it contains characters a link never has");
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** `setup` as the text of an `s=` parameter, or null when it would be too long for a link. */
export async function encodeShare(setup) {
  const json = new TextEncoder().encode(JSON.stringify(setup));
  const text = `${SHARE_VERSION}.${toBase64url(await pipe(json, new CompressionStream("deflate-raw")))}`;
  return text.length <= MAX_SHARE_CHARS ? text : null;
}

async function inflate(bytes) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > MAX_JSON_BYTES) {
      reader.cancel().catch(() => null);
      throw new ShareError("it unpacks to more data than a setup can hold");
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(await new Blob(chunks).arrayBuffer());
}

/**
 * The setup of an `s=` text: {setup} or {error} (a sentence for the page to show).
 * Never throws: a mistyped or truncated link must not break the page.
 */
export async function decodeShare(text) {
  if (text.length > MAX_SHARE_CHARS) {
    return { error: `it is ${text.length} characters long; a setup link has at most ${MAX_SHARE_CHARS}` };
  }
  const dot = text.indexOf(".");
  const version = dot < 0 ? "" : text.slice(0, dot);
  if (version !== String(SHARE_VERSION)) {
    return { error: `its format "${version}" is not one this page reads (version ${SHARE_VERSION})` };
  }
  try {
    const setup = JSON.parse(await inflate(fromBase64url(text.slice(dot + 1))));
    if (setup === null || typeof setup !== "object" || Array.isArray(setup)) throw new ShareError("it holds no setup");
    return { setup };
  } catch (err) {
    return { error: err instanceof ShareError ? err.message : "it is damaged (cut short or mistyped?)" };
  }
}
