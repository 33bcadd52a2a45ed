// Starts Swagger UI on the API's OpenAPI document. A file, not an inline
// script: the Content Security Policy allows scripts from this site only.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/api/v1/openapi.json", dom_id: "#swagger-ui" });
});
