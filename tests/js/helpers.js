// Fixtures: real engine traces (python, server.engine.backprop) saved as the API encodes them.
import { readFileSync } from "node:fs";
import { decodeNonfinite } from "../../static/js/api.js";

export function loadTrace(name) {
  const url = new URL(`./fixtures/${name}.json`, import.meta.url);
  return decodeNonfinite(JSON.parse(readFileSync(url, "utf8")));
}
