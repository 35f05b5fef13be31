// The report's timeline: draw the Vega-Lite chart, and filter it by document and by entity.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const box = document.getElementById("timeline");
  const status = document.getElementById("timeline-status");
  const docInput = document.getElementById("doc-filter");
  const entityInput = document.getElementById("entity-filter");
  const docIndex = new Map(data.docs.map((d, i) => [d, i]));
  // an entity key is "LABEL|canonical"; the filter box shows "canonical (LABEL)"
  const entityName = (key) => { const i = key.indexOf("|"); return key.slice(i + 1) + " (" + key.slice(0, i) + ")"; };
  const entityIndex = new Map(data.entities.map((k, i) => [entityName(k), i]));

  function fill(list, values) {
    const frag = document.createDocumentFragment();
    for (const v of values) { const o = document.createElement("option"); o.value = v; frag.appendChild(o); }
    document.getElementById(list).appendChild(frag);
  }
  const docsWithMarks = [...new Set(data.marks.map((m) => m.d))].sort((a, b) => a - b);
  fill("doc-options", docsWithMarks.map((i) => data.docs[i]));
  fill("entity-options", [...entityIndex.keys()].sort());

  if (!data.marks.length) {
    box.textContent = "Nothing to plot: no dated expression or dated event in the documents shown.";
    box.dataset.rendered = "0";
    return;
  }
  const spec = data.spec;
  spec.datasets = { marks: data.marks };
  for (const p of spec.params) if (p.name === "docnames") p.value = data.docs;

  vegaEmbed(box, spec, { renderer: "svg", actions: false }).then((result) => {
    const view = result.view;
    function counted() {
      const n = box.querySelectorAll(".mark-symbol.role-mark path").length;
      box.dataset.rendered = String(n);
      // when the chart was first drawn, in ms since the page began to load (for benchmarks)
      if (!box.dataset.drawnMs) box.dataset.drawnMs = String(Math.round(performance.now()));
      status.textContent = n + " of " + data.marks.length + " marks shown";
    }
    function apply() {
      const d = docIndex.has(docInput.value) ? docIndex.get(docInput.value) : -1;
      const e = entityIndex.has(entityInput.value) ? entityIndex.get(entityInput.value) : -1;
      view.signal("docf", d).signal("entf", e).runAsync().then(counted);
    }
    docInput.addEventListener("change", apply);
    entityInput.addEventListener("change", apply);
    document.getElementById("filter-reset").addEventListener("click", () => {
      docInput.value = ""; entityInput.value = ""; apply();
    });
    for (const a of document.querySelectorAll("a.to-timeline")) {
      a.addEventListener("click", () => {
        if (a.dataset.doc !== undefined) { docInput.value = a.dataset.doc; entityInput.value = ""; }
        if (a.dataset.entity !== undefined) {
          entityInput.value = entityName(a.dataset.entity); docInput.value = "";
        }
        apply();
      });
    }
    apply();
  }).catch((err) => {
    box.textContent = "The timeline could not be drawn: " + err;
    box.dataset.error = String(err);
  });
})();
