// Swagger UI on the app's own OpenAPI schema (loaded from /vendor by /docs).
/* global SwaggerUIBundle */
window.ui = SwaggerUIBundle({
  url: document.body.dataset.openapi,
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
