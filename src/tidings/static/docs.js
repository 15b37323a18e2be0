// Renders /openapi.json as a plain list of endpoints and parameters. The stock
// Swagger UI loads its code from a CDN; this page works offline. Text only: no innerHTML.
"use strict";

(async function () {
  const root = document.getElementById("endpoints");
  const add = (parent, tag, text, cls) => {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    parent.appendChild(node);
    return node;
  };
  let spec;
  try {
    spec = await (await fetch("/openapi.json")).json();
  } catch (err) {
    add(root, "p", "Could not load /openapi.json: " + err.message, "error");
    return;
  }
  for (const [path, methods] of Object.entries(spec.paths || {})) {
    for (const [method, op] of Object.entries(methods)) {
      const section = add(root, "section", null, "endpoint");
      const head = add(section, "h2");
      add(head, "span", method.toUpperCase() + " ", "code");
      add(head, "span", path);
      if (op.summary) add(section, "p", op.summary);
      if (op.description && op.description !== op.summary) add(section, "p", op.description, "muted");
      const params = op.parameters || [];
      if (params.length) {
        const table = add(section, "table");
        const hr = add(add(table, "thead"), "tr");
        for (const h of ["parameter", "in", "type", "default", "description"]) add(hr, "th", h);
        const body = add(table, "tbody");
        for (const p of params) {
          const row = add(body, "tr");
          add(row, "td", p.name + (p.required ? " *" : ""), "code");
          add(row, "td", p.in);
          const schema = p.schema || {};
          const types = schema.anyOf
            ? [...new Set(schema.anyOf.map((s) => s.type))].join(" | ")
            : schema.type;
          let range = "";
          if (schema.minimum !== undefined || schema.maximum !== undefined) {
            range = " [" + (schema.minimum ?? "") + ".." + (schema.maximum ?? "") + "]";
          }
          add(row, "td", (types || "") + range);
          add(row, "td", schema.default === undefined ? "" : JSON.stringify(schema.default));
          const choices = schema.enum ? " (" + schema.enum.join(", ") + ")" : "";
          add(row, "td", (p.description || schema.description || "") + choices);
        }
      }
      // what the endpoint answers: each status with its media types (errors: one shape)
      const answers = Object.entries(op.responses || {}).map(([status, r]) => {
        const types = Object.keys(r.content || {});
        return status + (types.length ? " " + types.join(", ") : "") +
          (r.description ? " (" + r.description + ")" : "");
      });
      if (answers.length) add(section, "p", "Answers: " + answers.join("; "), "muted small");
    }
  }
})();
