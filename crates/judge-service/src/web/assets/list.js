// The problem list, filtered and sorted in the page as the candidate types. The server
// renders every row (those its query leaves out with `hidden`) and does the same on its
// own for a browser without JavaScript (problems/list.rs: Filter::keeps and order); the rules
// here are those, and the address written back after each change opens the same list.
"use strict";

(function () {
  const DIFFICULTY_RANK = { easy: 0, medium: 1, hard: 2 };
  const STATE_RANK = { "not-tried": 0, tried: 1, solved: 2 };
  const SORT_WORDS = { title: "title", difficulty: "difficulty", state: "status", acceptance: "acceptance rate" };

  function start() {
    const form = document.getElementById("problem-filters");
    const table = document.getElementById("problem-list");
    if (!form || !table) return;
    const body = table.tBodies[0];
    const rows = Array.from(body.rows).map(read);
    const count = document.getElementById("list-count");
    const noMatch = document.getElementById("no-match");
    const caption = table.querySelector("caption");

    // Filtering happens as the fields change: the button is for pages without a script.
    const apply = document.getElementById("apply-filters");
    if (apply) apply.hidden = true;
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      show();
    });
    form.addEventListener("input", show);
    form.addEventListener("change", show);
    table.querySelectorAll("th[data-sort] a").forEach((link) => {
      link.addEventListener("click", (e) => {
        e.preventDefault();
        const key = link.closest("th").dataset.sort;
        const sort = form.elements.sort;
        const order = form.elements.order;
        order.value = sort.value === key && order.value === "asc" ? "desc" : "asc";
        sort.value = key;
        show();
      });
    });

    function show() {
      const filter = readFilter(form);
      const kept = rows.filter((r) => keeps(filter, r));
      rows.forEach((r) => (r.tr.hidden = !kept.includes(r)));
      const sorted = rows.slice().sort((a, b) => compare(filter, a, b));
      body.append(...sorted.map((r) => r.tr));
      count.textContent = kept.length === rows.length
        ? "Showing all " + rows.length + " problems."
        : "Showing " + kept.length + " of " + rows.length + " problems.";
      noMatch.hidden = kept.length > 0;
      if (caption) caption.textContent = "Problems, sorted by " + SORT_WORDS[filter.sort];
      markHeadings(table, filter);
      history.replaceState(null, "", address(form));
    }
  }

  // A row's data, as the server wrote it.
  function read(tr) {
    const d = tr.dataset;
    const tags = JSON.parse(d.tags || "[]");
    const judged = Number(d.judged);
    return {
      tr,
      id: d.problem,
      title: d.title,
      difficulty: d.difficulty,
      tags,
      state: d.state,
      accepted: Number(d.accepted),
      judged,
      text: (d.problem + " " + d.title + " " + tags.join(" ")).toLowerCase(),
    };
  }

  function readFilter(form) {
    const value = (name) => (form.elements[name] ? form.elements[name].value.trim() : "");
    const sort = value("sort");
    return {
      words: value("q").toLowerCase().split(/\s+/).filter(Boolean),
      difficulty: value("difficulty"),
      tag: value("tag"),
      state: value("state"),
      sort: sort in SORT_WORDS ? sort : "title",
      descending: value("order") === "desc",
    };
  }

  function keeps(f, r) {
    return f.words.every((w) => r.text.includes(w))
      && (!f.difficulty || r.difficulty === f.difficulty)
      && (!f.tag || r.tags.includes(f.tag))
      && (!f.state || r.state === f.state);
  }

  function byTitle(a, b) {
    const x = a.title.toLowerCase();
    const y = b.title.toLowerCase();
    if (x !== y) return x < y ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  }

  const rank = (table, key) => (key in table ? table[key] : 3);

  // The order of two rows, as the server's `order` sorts them: by the key (reversed when
  // descending), ties by title.
  function compare(f, a, b) {
    let primary = 0;
    if (f.sort === "difficulty") primary = rank(DIFFICULTY_RANK, a.difficulty) - rank(DIFFICULTY_RANK, b.difficulty);
    if (f.sort === "state") primary = rank(STATE_RANK, a.state) - rank(STATE_RANK, b.state);
    if (f.sort === "acceptance") {
      // A problem nobody submitted to comes last in either order.
      if (Boolean(a.judged) !== Boolean(b.judged)) return a.judged ? -1 : 1;
      if (a.judged) primary = a.accepted * b.judged - b.accepted * a.judged;
    }
    if (f.sort === "title") primary = byTitle(a, b);
    if (f.descending) primary = -primary;
    return Math.sign(primary) || byTitle(a, b);
  }

  function markHeadings(table, filter) {
    table.querySelectorAll("th[data-sort]").forEach((th) => {
      const current = th.dataset.sort === filter.sort;
      if (current) th.setAttribute("aria-sort", filter.descending ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
      th.querySelector(".arrow").textContent = current ? (filter.descending ? " ▼" : " ▲") : "";
    });
  }

  // The list's address for the form's fields: empty ones and the default order left out.
  function address(form) {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (String(value).trim() === "") continue;
      params.append(name, value);
    }
    if (params.get("sort") === "title") params.delete("sort");
    if (params.get("order") === "asc") params.delete("order");
    const query = params.toString();
    return location.pathname + (query ? "?" + query : "");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
