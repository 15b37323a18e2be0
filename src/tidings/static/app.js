// The tidings event explorer. Plain DOM, no framework, no network beyond this server.
//
// Safety rule for this file: every string that comes from an article or from a user is
// put into the page with textContent / createTextNode / setAttribute on safe attributes.
// Never innerHTML with data: an article may contain markup or script.
"use strict";

(function () {
  // Page size: 50, or ?limit=N in the page's own URL (1 to 1000, as the API allows).
  const PAGE = pageSize(new URLSearchParams(window.location.search).get("limit"));
  const $ = (id) => document.getElementById(id);

  function pageSize(value) {
    const n = Number.parseInt(value || "", 10);
    return Number.isInteger(n) && n >= 1 && n <= 1000 ? n : 50;
  }
  const state = { offset: 0, total: 0, selected: null, seq: 0 };

  // ---- small helpers -------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = String(value);
      else node.setAttribute(key, String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // Only http(s) links from articles become clickable: no javascript: or data: URLs.
  function safeUrl(url) {
    if (typeof url !== "string" || url === "") return null;
    try {
      const parsed = new URL(url, window.location.href);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (_err) {
      return null;
    }
  }

  async function getJSON(path, params) {
    const url = new URL(path, window.location.href);
    for (const [key, value] of Object.entries(params || {})) {
      if (value !== "" && value !== null && value !== undefined && value !== false) {
        url.searchParams.set(key, String(value));
      }
    }
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    let body = null;
    try {
      body = await response.json();
    } catch (_err) {
      body = null;
    }
    if (!response.ok) {
      const message = body && body.error ? body.error.message : response.statusText;
      throw new Error(message || "request failed (" + response.status + ")");
    }
    return body;
  }

  function showError(message) {
    const box = $("error");
    box.textContent = message || "";
    box.hidden = !message;
  }

  // Split `text` into plain and highlighted runs. Offsets are Unicode code points (as
  // Python counts them), so the text is indexed as an array of code points.
  function highlighted(text, spans) {
    const frag = document.createDocumentFragment();
    const chars = Array.from(text || "");
    const valid = (spans || [])
      .filter((s) => s && Number.isInteger(s.start) && Number.isInteger(s.end))
      .filter((s) => s.start >= 0 && s.end > s.start && s.end <= chars.length)
      .sort((a, b) => a.start - b.start);
    let pos = 0;
    for (const span of valid) {
      if (span.start < pos) continue; // overlapping spans: keep the first
      if (span.start > pos) frag.appendChild(document.createTextNode(chars.slice(pos, span.start).join("")));
      const mark = el("mark", { class: "hl-" + span.kind, title: span.kind });
      mark.textContent = chars.slice(span.start, span.end).join("");
      frag.appendChild(mark);
      pos = span.end;
    }
    if (pos < chars.length) frag.appendChild(document.createTextNode(chars.slice(pos).join("")));
    return frag;
  }

  function actorLabel(name, code, country) {
    const label = name || code || "?";
    return country && !label.includes(country) ? label + " (" + country + ")" : label;
  }

  // ---- filters -------------------------------------------------------------------

  function filters() {
    const a = $("country-a").value;
    const b = $("country-b").value;
    const params = {
      actor: $("actor").value.trim(),
      since: $("since").value,
      until: $("until").value,
      root: $("root").value,
      all: $("all").checked ? "true" : "",
    };
    if (a && b) params.dyad = a + "," + b;
    else if (a || b) params.country = a || b;
    return params;
  }

  async function loadMeta() {
    const meta = await getJSON("/meta");
    const selects = [$("country-a"), $("country-b")];
    for (const c of meta.countries || []) {
      for (const select of selects) {
        const label = c.name ? c.name + " (" + c.code + ")" : c.code;
        select.appendChild(el("option", { value: c.code, text: label }));
      }
    }
    for (const q of meta.quads || []) QUAD[q.quad] = [q.name, q.color];
    OTHER_COLOR = meta.other_color || OTHER_COLOR;
    for (const r of meta.roots || []) {
      $("root").appendChild(el("option", { value: r.root, text: r.root + " " + (r.name || "") }));
    }
    const s = meta.stats || {};
    const parts = [];
    if (s.events !== undefined) parts.push(s.events.toLocaleString() + " events");
    if (s.mentions !== undefined) parts.push(s.mentions.toLocaleString() + " mentions");
    if (s.documents !== undefined) parts.push(s.documents.toLocaleString() + " articles");
    if (s.first_date && s.last_date) parts.push(s.first_date + " to " + s.last_date);
    $("stats").textContent = parts.join(" · ");
  }

  let actorTimer = null;
  function suggestActors() {
    clearTimeout(actorTimer);
    const q = $("actor").value.trim();
    if (q.length < 2) return;
    actorTimer = setTimeout(async () => {
      try {
        const found = await getJSON("/actors", { q: q, limit: 15 });
        const list = $("actor-options");
        clear(list);
        for (const actor of found.actors || []) {
          const roles = Array.isArray(actor.roles) ? actor.roles : [];
          const role = roles.length ? roles[roles.length - 1].title : actor.kind;
          const extra = [actor.country, role].filter(Boolean).join(", ");
          list.appendChild(el("option", { value: actor.name, label: extra || null }));
        }
      } catch (_err) {
        // suggestions are a convenience: a failed lookup must not disturb the page
      }
    }, 200);
  }

  // ---- events table ----------------------------------------------------------------

  function eventRow(ev) {
    const row = el("tr", { class: "event", "data-id": ev.event_id, tabindex: "0" });
    row.appendChild(el("td", { class: "date", text: ev.event_date || "" }));
    row.appendChild(el("td", { text: actorLabel(ev.source_name, ev.source_code, ev.source_country) }));
    const what = el("td", { class: "what" });
    what.appendChild(el("span", { class: "code", text: ev.cameo || "" }));
    what.appendChild(document.createTextNode(" " + (ev.cameo_name || "")));
    row.appendChild(what);
    row.appendChild(el("td", { text: actorLabel(ev.target_name, ev.target_code, ev.target_country) }));
    row.appendChild(el("td", { class: "num", text: ev.num_sources ?? "" }));
    row.addEventListener("click", () => showEvent(ev.event_id));
    row.addEventListener("keydown", (e) => {
      if (e.key === "Enter") showEvent(ev.event_id);
    });
    return row;
  }

  function evidenceRow(ev) {
    const cell = el("td", { colspan: "5", class: "evidence" });
    cell.appendChild(highlighted(ev.evidence || "", ev.highlights));
    return el("tr", { class: "evidence-row", "data-id": ev.event_id }, cell);
  }

  async function loadEvents() {
    const seq = ++state.seq;
    showError("");
    const params = Object.assign(filters(), {
      limit: PAGE,
      offset: state.offset,
      sort: $("sort").value,
      highlights: "true",
    });
    let page;
    try {
      page = await getJSON("/events", params);
    } catch (err) {
      showError(err.message);
      return;
    }
    if (seq !== state.seq) return; // a newer search has started
    state.total = page.total;
    const body = document.querySelector("#events tbody");
    clear(body);
    for (const ev of page.events) {
      body.appendChild(eventRow(ev));
      body.appendChild(evidenceRow(ev));
    }
    $("empty").hidden = page.events.length > 0;
    const first = page.total ? page.offset + 1 : 0;
    const last = page.offset + page.events.length;
    $("summary").textContent = first + "–" + last + " of " + page.total.toLocaleString();
    $("prev").disabled = page.offset <= 0;
    $("next").disabled = last >= page.total;
    document.body.dataset.loaded = String(seq);
  }

  // ---- timeline chart ---------------------------------------------------------------

  // Quad class -> [name, colour], filled from /meta: the server sends the palette of
  // tidings.palette, so the page and the chart files colour the classes the same way.
  const QUAD = {};
  let OTHER_COLOR = "grey";

  // Dates only (no clock times); a single day gets a few weeks of room around it.
  function xRange(entries) {
    const axis = { type: "date", tickformat: "%Y-%m-%d", hoverformat: "%Y-%m-%d", automargin: true };
    const days = [...new Set(entries.map((e) => e.event_date || e.date).filter(Boolean))].sort();
    if (days.length && days[0] === days[days.length - 1]) {
      const day = new Date(days[0] + "T00:00:00Z").getTime();
      const pad = 14 * 86400000;
      axis.range = [new Date(day - pad).toISOString().slice(0, 10), new Date(day + pad).toISOString().slice(0, 10)];
    }
    return axis;
  }

  async function loadTimeline() {
    const params = filters();
    delete params.root;
    let data;
    try {
      data = await getJSON("/timeline", Object.assign(params, { limit: 500 }));
    } catch (err) {
      showError(err.message);
      return;
    }
    const chart = $("chart");
    if (typeof Plotly === "undefined") {
      chart.textContent = "The chart library did not load.";
      return;
    }
    const byQuad = {};
    for (const entry of data.entries || []) {
      const quad = entry.quad_class || 0;
      (byQuad[quad] = byQuad[quad] || []).push(entry);
    }
    const traces = Object.keys(byQuad).map((quad) => {
      const entries = byQuad[quad];
      const [name, color] = QUAD[quad] || ["other", OTHER_COLOR];
      return {
        type: "scatter",
        mode: "markers",
        name: name,
        x: entries.map((e) => e.event_date || e.date),
        y: entries.map((e) => e.goldstein),
        // plotly renders hover text as its own markup: give it plain text only
        text: entries.map((e) => String(e.summary || e.cameo_name || "").replace(/[<>&]/g, " ")),
        customdata: entries.map((e) => e.event_id),
        hovertemplate: "%{x}<br>%{text}<extra></extra>",
        marker: { color: color, size: entries.map((e) => 6 + Math.min(10, 2 * (e.num_sources || 1))) },
      };
    });
    const layout = {
      margin: { l: 60, r: 10, t: 30, b: 40 },
      height: 280,
      // a short title: a long one is cut off at the chart's height (the legend says more)
      yaxis: {
        title: { text: "Goldstein score" },
        range: [-10.5, 10.5],
        tickvals: [-10, -5, 0, 5, 10],
        zeroline: true,
        automargin: true,
      },
      xaxis: Object.assign(xRange(data.entries || []), {
        nticks: Math.max(3, Math.floor(chart.clientWidth / 110)), // dates do not overlap
      }),
      // the legend above the plot: below it, it would cover the date labels
      legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" },
      showlegend: true,
    };
    // no mode bar: on a phone it covers the legend (drag zooms, a double click resets)
    Plotly.react(chart, traces, layout, { displaylogo: false, displayModeBar: false, responsive: true });
    if (!chart.dataset.bound) {
      chart.on("plotly_click", (ev) => {
        const point = ev.points && ev.points[0];
        if (point && point.customdata) showEvent(point.customdata);
      });
      chart.dataset.bound = "1";
    }
    $("chart-section").dataset.entries = String((data.entries || []).length);
  }

  // ---- detail panel -----------------------------------------------------------------

  function fact(list, label, value) {
    if (value === null || value === undefined || value === "") return;
    list.appendChild(el("dt", { text: label }));
    list.appendChild(el("dd", { text: value }));
  }

  async function showEvent(eventId) {
    let ev;
    try {
      ev = await getJSON("/events/" + encodeURIComponent(eventId));
    } catch (err) {
      showError(err.message);
      return;
    }
    state.selected = eventId;
    for (const row of document.querySelectorAll("#events tr.selected")) row.classList.remove("selected");
    for (const row of document.querySelectorAll("#events tr")) {
      if (row.dataset.id === eventId) row.classList.add("selected");
    }
    $("detail").hidden = false;
    $("document").hidden = true;
    $("detail-title").textContent =
      actorLabel(ev.source_name, ev.source_code, ev.source_country) + " → " +
      (ev.cameo_name || ev.cameo || "") + " → " +
      actorLabel(ev.target_name, ev.target_code, ev.target_country);
    const facts = $("detail-facts");
    clear(facts);
    fact(facts, "Date", ev.event_date + (ev.date_exact === false ? " (approximate)" : ""));
    fact(facts, "CAMEO", ev.cameo + " " + (ev.cameo_name || ""));
    fact(facts, "Goldstein", ev.goldstein);
    fact(facts, "PLOVER", [ev.plover_type, ev.plover_mode].filter(Boolean).join(" / "));
    fact(facts, "Location", ev.location_name);
    fact(facts, "Mentions", ev.num_mentions);
    fact(facts, "Sources", ev.num_sources);
    fact(facts, "Event id", ev.event_id);
    const list = $("mentions");
    clear(list);
    for (const m of ev.mentions || []) list.appendChild(mentionItem(m));
  }

  function mentionItem(m) {
    const doc = m.document || {};
    const item = el("li", { class: "mention" });
    const head = el("div", { class: "mention-head" });
    const title = doc.title || doc.name || m.doc_id;
    const href = safeUrl(doc.url);
    if (href) {
      head.appendChild(el("a", { href: href, target: "_blank", rel: "noopener noreferrer", text: title }));
    } else {
      head.appendChild(el("span", { class: "doc-title", text: title }));
    }
    const meta = [doc.outlet || m.outlet, doc.published || m.published].filter(Boolean).join(", ");
    if (meta) head.appendChild(el("span", { class: "muted", text: " — " + meta }));
    item.appendChild(head);
    const sentence = el("blockquote", { class: "evidence" });
    sentence.appendChild(highlighted(m.sentence || "", m.highlights));
    item.appendChild(sentence);
    const why = [
      "trigger “" + (m.trigger || "") + "”",
      m.rule ? "rule " + m.rule : "",
      m.date_reason ? "date: " + m.date_reason : "",
      m.confidence !== undefined ? "confidence " + Number(m.confidence).toFixed(2) : "",
    ].filter(Boolean).join(" · ");
    item.appendChild(el("div", { class: "muted small", text: why }));
    const open = el("button", { type: "button", class: "link", text: "read the article" });
    open.addEventListener("click", () => showDocument(m.doc_id));
    item.appendChild(open);
    return item;
  }

  async function showDocument(docId) {
    let doc;
    try {
      doc = await getJSON("/documents/" + encodeURIComponent(docId));
    } catch (err) {
      showError(err.message);
      return;
    }
    $("document").hidden = false;
    $("document-title").textContent = doc.title || doc.name || doc.doc_id;
    $("document-text").textContent = doc.text || "";
    $("document").scrollIntoView({ block: "nearest" });
  }

  // ---- wiring -----------------------------------------------------------------------

  // A date field fires "change" for every digit of the year typed (0002, 0020, 0202,
  // 2024): search only once a real year is in and the typing has paused.
  let dateTimer = null;
  function dateChanged(event) {
    clearTimeout(dateTimer);
    const value = event.target.value;
    if (value && Number(value.slice(0, 4)) < 1000) return;
    dateTimer = setTimeout(search, 400);
  }

  function search() {
    state.offset = 0;
    $("detail").hidden = true;
    loadEvents();
    loadTimeline();
  }

  document.addEventListener("DOMContentLoaded", async () => {
    $("filters").addEventListener("submit", (e) => {
      e.preventDefault();
      search();
    });
    $("reset-filters").addEventListener("click", () => {
      // the prototype's reset, so that no control's name or id can shadow it
      HTMLFormElement.prototype.reset.call($("filters"));
      clear($("actor-options"));
      search();
    });
    for (const id of ["country-a", "country-b", "root", "sort", "all"]) {
      $(id).addEventListener("change", search);
    }
    for (const id of ["since", "until"]) $(id).addEventListener("change", dateChanged);
    $("actor").addEventListener("input", suggestActors);
    $("prev").addEventListener("click", () => {
      state.offset = Math.max(0, state.offset - PAGE);
      loadEvents();
    });
    $("next").addEventListener("click", () => {
      state.offset += PAGE;
      loadEvents();
    });
    $("detail-close").addEventListener("click", () => {
      $("detail").hidden = true;
    });
    try {
      await loadMeta();
    } catch (err) {
      showError(err.message);
    }
    search();
  });
})();
