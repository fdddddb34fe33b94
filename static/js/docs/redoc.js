// ReDoc on the app's own OpenAPI schema (loaded from /vendor by /redoc); no web fonts.
/* global Redoc */

// ReDoc's footer always loads its maker's logo from the web (an <img> it hides when that
// fails). Offline that is a failed request in the console; online, a request to a third
// party. Point that one image at an empty local picture instead.
const EMPTY_SVG = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E";
const local = (value) => (String(value).startsWith("https://cdn.redoc.ly/") ? EMPTY_SVG : value);
const src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
Object.defineProperty(HTMLImageElement.prototype, "src", {
  ...src, set(value) { src.set.call(this, local(value)); },
});
const setAttribute = Element.prototype.setAttribute;
Element.prototype.setAttribute = function (name, value) {
  return setAttribute.call(this, name, name === "src" ? local(value) : value);
};

Redoc.init(document.body.dataset.openapi, {
  theme: { typography: { fontFamily: "system-ui, sans-serif", headings: { fontFamily: "system-ui, sans-serif" } } },
}, document.getElementById("redoc"));
