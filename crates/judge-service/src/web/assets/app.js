// The pages' script: the editor, drafts, run, custom input, submit with a live table of
// cases (from the judging's server-sent events), and errors in plain words. It talks to the
// JSON API under /api/v1 with the session cookie and the page's CSRF token. Text from the
// server goes into the page as text (textContent), except the report fragment, which the
// server renders and escapes itself.
"use strict";

(function () {
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.content : "";

  // An error a user can act on, in words.
  class Problem extends Error {
    constructor(message, signIn) {
      super(message);
      this.signIn = Boolean(signIn);
    }
  }

  async function api(method, url, body, keepalive) {
    let response;
    try {
      response = await fetch(url, {
        method,
        keepalive: Boolean(keepalive),
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new Problem("The judge service cannot be reached. Your code is still here: try again once it is back.");
    }
    let json = null;
    try {
      json = await response.json();
    } catch (e) {
      json = null;
    }
    if (response.ok) return json;
    const said = json && json.error ? json.error : response.statusText;
    if (response.status === 401) {
      throw new Problem("Your sign-in has expired. Sign in again; your code stays in this page.", true);
    }
    if (response.status === 403) {
      throw new Problem(said + " (reload the page if you signed in again elsewhere)");
    }
    if (response.status === 429) {
      const wait = response.headers.get("Retry-After");
      throw new Problem("Too many requests: " + said + "." + (wait ? " Try again in " + wait + " s." : ""));
    }
    if (response.status === 413) {
      throw new Problem("Too big: " + said + ".");
    }
    if (response.status >= 500) {
      throw new Problem("The judge met an error of its own: " + said);
    }
    throw new Problem(said);
  }

  const status = document.getElementById("status");

  function say(text, isError, signIn) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
    if (signIn) {
      const link = document.createElement("a");
      link.href = "/?next=" + encodeURIComponent(location.pathname);
      link.textContent = "Sign in";
      status.append(" ", link);
    }
    if (text) status.scrollIntoView({ block: "nearest" });
  }

  function sayProblem(e) {
    if (e instanceof Problem) say(e.message, true, e.signIn);
    else say("Something went wrong in this page: " + e, true);
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function badge(verdict) {
    const b = el("span", verdict === "AC" ? "badge ok" : verdict ? "badge bad" : "badge pending", verdict || "…");
    return b;
  }

  // A judging's live view: what stage it is at, then a row per case as it finishes.
  function liveView(result, id, mode) {
    result.textContent = "";
    const head = el("p", "live-head");
    const link = el("a", null, (mode === "submit" ? "Submission " : "Run ") + id);
    link.href = "/submissions/" + id;
    head.append(link, ": ");
    const stage = el("span", "stage", "waiting for a judge…");
    head.append(stage);
    const groups = el("ul", "live-groups");
    const table = el("table", "cases live");
    const headRow = el("tr");
    for (const name of ["Case", "Verdict", "Time", "Memory"]) headRow.append(el("th", null, name));
    const thead = el("thead");
    thead.append(headRow);
    table.append(thead);
    const body = el("tbody");
    table.append(body);
    result.append(head, groups, table);
    head.scrollIntoView({ block: "nearest" });
    const rows = new Map();
    function row(name) {
      if (!rows.has(name)) {
        const tr = el("tr");
        tr.dataset.case = name;
        tr.append(el("td", null, name), el("td"), el("td", null, "—"), el("td", null, "—"));
        tr.children[1].append(badge(""));
        body.append(tr);
        rows.set(name, tr);
      }
      return rows.get(name);
    }
    return {
      stage(text) { stage.textContent = text; },
      started(name) { row(name); },
      finished(e) {
        const tr = row(e.name);
        tr.children[1].replaceChildren(badge(e.verdict));
        tr.children[2].textContent = e.withheld ? "hidden" : e.time_ms + " ms";
        tr.children[3].textContent = e.withheld ? "hidden" : Math.round(e.memory_kb / 1024 * 10) / 10 + " MiB";
      },
      group(e) {
        const li = el("li", null, "group " + e.name + ": ");
        li.append(badge(e.verdict), " " + e.score + " / " + e.max_score);
        groups.append(li);
      },
    };
  }

  // Follows a judging until it is done, then shows the report the server renders.
  function follow(id, mode, result, onDone) {
    const view = liveView(result, id, mode);
    let finished = false;
    const source = new EventSource("/api/v1/submissions/" + id + "/events");
    const on = (name, handler) => source.addEventListener(name, (m) => {
      say("");
      handler(m.data ? JSON.parse(m.data) : {});
    });
    on("queued", () => view.stage("waiting for a judge…"));
    on("compiling", () => view.stage("compiling…"));
    on("compiled", (e) => view.stage(e.ok ? "compiled" + (e.cached ? " (cached)" : " in " + e.time_ms + " ms") : "did not compile"));
    on("running", (e) => view.stage("judging " + e.cases + " case" + (e.cases === 1 ? "" : "s") + "…"));
    on("case-started", (e) => view.started(e.name));
    on("case-finished", (e) => view.finished(e));
    on("group-finished", (e) => view.group(e));
    on("done", async () => {
      finished = true;
      source.close();
      await showReport(id, result);
      if (onDone) onDone();
    });
    source.onerror = async () => {
      if (finished) return;
      if (source.readyState !== EventSource.CLOSED) {
        // The browser tries again by itself, with the last event's id: the server sends what
        // came after it (from the store, whichever host judges).
        say("The connection to the judge was lost; trying again…", true);
        return;
      }
      // The browser gave up (the answer was an error: signed out, over the rate, ...): ask
      // once for the submission itself, and leave the page usable either way.
      finished = true;
      try {
        const s = await api("GET", "/api/v1/submissions/" + id);
        if (s.status === "done") await showReport(id, result);
        else say("Live progress stopped; the submission is still " + s.status + ". Reload the page to follow it.", true);
      } catch (e) {
        sayProblem(e);
      }
      if (onDone) onDone();
    };
  }

  async function showReport(id, result) {
    try {
      const response = await fetch("/submissions/" + id + "/report", { credentials: "same-origin" });
      if (response.status === 401 || response.redirected) {
        throw new Problem("Your sign-in has expired. Sign in again to see the report.", true);
      }
      if (!response.ok) throw new Problem("The report could not be loaded (" + response.status + ").");
      result.innerHTML = await response.text();
      markCompileErrors(result);
      result.scrollIntoView({ block: "nearest" });
    } catch (e) {
      if (e instanceof Problem) sayProblem(e);
      else sayProblem(new Problem("The judge service cannot be reached to show the report. Reload the page to see it."));
    }
  }

  let editor = null;

  function markCompileErrors(result) {
    if (!editor) return;
    const pre = result.querySelector("pre.compile-error[data-diagnostics]");
    if (!pre) {
      editor.clearErrors();
      return;
    }
    try {
      editor.markErrors(JSON.parse(pre.dataset.diagnostics).map((d) => ({
        line: d.line, column: d.column, message: d.message, severity: "error",
      })));
    } catch (e) {
      editor.clearErrors();
    }
  }

  // The code being written, kept in this browser at every change, so a reload, a crash or a
  // lost connection loses nothing the server has not saved yet. One entry per user, problem
  // and language: {source, base}, where base is when the server's draft this code started
  // from was saved. Once the server has the code the entry goes.
  function browserDraft(root) {
    const d = root.dataset;
    const key = "judge.draft:" + [d.user, d.problem, d.language].map(encodeURIComponent).join(":");
    let base = Number(d.draftMs) || 0;
    const read = () => {
      try {
        return JSON.parse(localStorage.getItem(key) || "null");
      } catch (e) {
        return null;
      }
    };
    const write = (value) => {
      try {
        if (value === null) localStorage.removeItem(key);
        else localStorage.setItem(key, JSON.stringify(value));
      } catch (e) {
        // Storage full or refused (a private window): the server's draft still holds it.
      }
    };
    return {
      // The code kept here, if it is newer than what the page came with: kept from the same
      // server draft (one saved later elsewhere wins, and this entry is dropped).
      newer(shown) {
        const kept = read();
        if (!kept || typeof kept.source !== "string") return null;
        if (kept.base !== base || kept.source === shown) {
          write(null);
          return null;
        }
        return kept.source;
      },
      keep(text) {
        write({ source: text, base });
      },
      // The server saved `text` at `ms`: nothing is left to keep unless the code changed since.
      saved(ms, text, now) {
        base = ms;
        write(now === text ? null : { source: now, base });
      },
    };
  }

  // The shortcuts as this keyboard names them: Cmd on Apple's, Ctrl elsewhere.
  function showKeys() {
    const keys = document.getElementById("keys");
    if (!keys) return;
    const platform = (navigator.userAgentData && navigator.userAgentData.platform) || navigator.platform || "";
    if (/Mac|iPhone|iPad/.test(platform)) {
      document.querySelectorAll("kbd.mod").forEach((k) => (k.textContent = "Cmd"));
    }
    keys.hidden = false;
  }

  function problemPage(root) {
    const problem = root.dataset.problem;
    const textarea = document.getElementById("source");
    const host = document.getElementById("editor-host");
    const draftState = document.getElementById("draft-state");
    const result = document.getElementById("result");
    const buttons = ["run", "submit", "run-input"].map((id) => document.getElementById(id)).filter(Boolean);
    const draftUrl = "/api/v1/problems/" + encodeURIComponent(problem) + "/draft";
    // The browser's copy of the code, for the editor's language (a new one when it changes).
    let local = browserDraft(root);

    let saveTimer = null;
    let savedText = null;
    // Code this browser kept is being saved: the next word on the draft says so.
    let restoring = false;
    const source = () => (editor ? editor.getDoc() : textarea.value);

    // `leaving`: the page is being closed, so the request must outlive it (keepalive).
    async function saveDraft(leaving) {
      clearTimeout(saveTimer);
      const text = source();
      if (text === savedText) return;
      const language = root.dataset.language;
      try {
        const saved = await api("PUT", draftUrl, { source: text, language }, leaving);
        // The picker's option keeps what the server has of its language, for a switch back.
        const option = languageOption(language);
        if (option) {
          option.dataset.draft = text;
          option.dataset.draftMs = saved.updated_ms;
        }
        // Switched to another language meanwhile: this answer is the old language's.
        if (language !== root.dataset.language) return;
        savedText = text;
        local.saved(saved && saved.updated_ms, text, source());
        const at = new Date().toLocaleTimeString();
        draftState.textContent = restoring
          ? "Restored your unsaved changes from this browser; saved at " + at + "."
          : "Saved at " + at + ".";
        restoring = false;
      } catch (e) {
        draftState.textContent = "Not saved on the server (" + e.message + "); kept in this browser.";
      }
    }
    const changed = () => {
      clearTimeout(saveTimer);
      local.keep(source());
      restoring = false;
      draftState.textContent = "Saving…";
      saveTimer = setTimeout(() => saveDraft(false), 1500);
    };

    let busy = false;
    async function judge(mode, input) {
      if (busy) return;
      busy = true;
      buttons.forEach((b) => (b.disabled = true));
      say(mode === "submit" ? "Submitting…" : input ? "Running on your input…" : "Running the samples…");
      try {
        await saveDraft();
        const body = { problem, source: source(), mode, language: root.dataset.language };
        if (input) body.input = input;
        const measure = document.getElementById("measure");
        if (mode === "submit" && measure && measure.checked) body.complexity = true;
        const created = await api("POST", "/api/v1/submissions", body);
        say("");
        follow(created.id, mode, result, () => {
          busy = false;
          buttons.forEach((b) => (b.disabled = false));
        });
      } catch (e) {
        sayProblem(e);
        busy = false;
        buttons.forEach((b) => (b.disabled = false));
      }
    }
    const run = () => judge("run");
    const submit = () => judge("submit");
    function runInput() {
      const input = {};
      for (const area of document.querySelectorAll("textarea[data-arg]")) {
        try {
          input[area.dataset.arg] = JSON.parse(area.value);
        } catch (e) {
          say("The argument " + area.dataset.arg + " is not valid JSON: " + e.message, true);
          area.focus();
          return;
        }
      }
      judge("run", input);
    }

    // The language picker switches in place: the code so far is saved in its language,
    // then the chosen language's draft (its option holds the server's, from the page or
    // saved since), else its stub, is loaded, with the code this browser kept of it when
    // that is newer; the address says the language, so a reload keeps it. Without this
    // script the picker's form loads the page in the language.
    function languageOption(id) {
      const picker = document.getElementById("language");
      return picker ? Array.from(picker.options).find((o) => o.value === id) : null;
    }

    function languagePicker() {
      const picker = document.getElementById("language");
      if (!picker) return;
      const go = document.getElementById("language-go");
      if (go) go.hidden = true;
      picker.addEventListener("change", () => switchTo(picker));
    }

    async function switchTo(picker) {
      const option = picker.selectedOptions[0];
      if (!option || option.value === root.dataset.language) return;
      if (busy) {
        picker.value = root.dataset.language;
        say("Wait for the judging to finish before changing the language.", true);
        return;
      }
      picker.disabled = true;
      try {
        await saveDraft();
        if (source() !== savedText) throw new Problem("Your code could not be saved, so the language stays; try again.");
        const draft = "draft" in option.dataset
          ? { source: option.dataset.draft, updated_ms: Number(option.dataset.draftMs) || 0 }
          : null;
        root.dataset.language = option.value;
        root.dataset.stub = option.dataset.stub || "";
        root.dataset.draftMs = draft ? draft.updated_ms : 0;
        local = browserDraft(root);
        savedText = draft ? draft.source : root.dataset.stub;
        const kept = local.newer(savedText);
        const text = kept !== null ? kept : savedText;
        if (editor) {
          editor.load(text, option.value);
        } else {
          textarea.value = text;
        }
        const name = option.textContent;
        draftState.textContent = kept !== null
          ? "Restored your unsaved " + name + " code from this browser."
          : draft
            ? "Your saved " + name + " code, from " + new Date(draft.updated_ms).toLocaleString() + "."
            : "The starting code in " + name + ".";
        if (kept !== null) {
          restoring = true;
          saveTimer = setTimeout(() => saveDraft(false), 0);
        }
        const address = new URL(location.href);
        address.searchParams.set("language", option.value);
        history.replaceState(null, "", address);
        say("");
      } catch (e) {
        picker.value = root.dataset.language;
        sayProblem(e);
      } finally {
        picker.disabled = false;
      }
    }

    // What the server sent is what it has; code kept here since is newer, and is saved.
    savedText = textarea.value;
    const restored = local.newer(textarea.value);
    if (restored !== null) textarea.value = restored;

    if (window.JudgeEditor) {
      textarea.hidden = true;
      const label = host.querySelector("label");
      if (label) label.hidden = true;
      const theme = window.JudgeTheme;
      editor = window.JudgeEditor.create(host, {
        doc: textarea.value,
        language: root.dataset.language,
        dark: theme ? theme.dark() : false,
        onChange: changed,
        onRun: run,
        onSubmit: submit,
      });
      if (theme) theme.onChange((dark) => editor.setDark(dark));
      host.dataset.editor = "codemirror";
      // For scripts driving the page (the browser tests): the editor's handle on its element.
      host.judgeEditor = editor;
    } else {
      textarea.addEventListener("input", changed);
    }
    if (restored !== null) {
      restoring = true;
      draftState.textContent = "Restored your unsaved changes from this browser.";
      saveTimer = setTimeout(() => saveDraft(false), 0);
    }
    resetButton(textarea, root, changed);
    languagePicker();
    showKeys();
    document.getElementById("run").addEventListener("click", run);
    document.getElementById("submit").addEventListener("click", submit);
    const runInputButton = document.getElementById("run-input");
    if (runInputButton) runInputButton.addEventListener("click", runInput);
    document.addEventListener("keydown", (e) => {
      if (e.defaultPrevented || e.key !== "Enter" || !(e.ctrlKey || e.metaKey)) return;
      e.preventDefault();
      if (e.shiftKey) submit();
      else run();
    });
    window.addEventListener("pagehide", () => {
      if (source() !== savedText) saveDraft(true);
    });
  }

  // "Reset to starting code" (the editor's language's), after a confirmation; undoable in
  // the editor.
  function resetButton(textarea, root, changed) {
    const button = document.getElementById("reset");
    const dialog = document.getElementById("reset-dialog");
    if (!button || !dialog || typeof dialog.showModal !== "function") return;
    button.hidden = false;
    button.addEventListener("click", () => dialog.showModal());
    dialog.addEventListener("close", () => {
      if (dialog.returnValue === "reset") {
        const stub = root.dataset.stub;
        if (editor) {
          editor.setDoc(stub);
          editor.focus();
        } else {
          textarea.value = stub;
          changed();
          textarea.focus();
        }
        document.getElementById("draft-state").textContent = "Back to the starting code. Saving…";
      } else {
        button.focus();
      }
      dialog.returnValue = "";
    });
  }

  // Signing out leaves no code behind in this browser (the server keeps the drafts).
  function forgetDrafts() {
    try {
      for (let i = localStorage.length - 1; i >= 0; i--) {
        const key = localStorage.key(i);
        if (key && key.startsWith("judge.draft:")) localStorage.removeItem(key);
      }
    } catch (e) {
      // No storage to clear.
    }
  }

  function submissionPage() {
    const report = document.querySelector("#result .report[data-status]");
    if (!report) return;
    const result = document.getElementById("result");
    if (report.dataset.status !== "done") {
      follow(report.dataset.submission, report.dataset.mode, result);
    }
  }

  // A mock interview's countdown, from the deadline the server set (the server refuses
  // late work whatever this shows).
  function countdown(holder) {
    const deadline = Number(holder.dataset.deadline);
    const shown = holder.querySelector(".time-left");
    if (!deadline || !shown) return;
    const tick = () => {
      // Rounded up: 0:00 only once the deadline has passed.
      const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      shown.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left === 0) {
        shown.textContent = "0:00 (time is up)";
        return;
      }
      setTimeout(tick, 1000);
    };
    tick();
  }

  // The interviewer's live view reloads itself every few seconds, but never while a note
  // is being written (a reload would lose it).
  function watchLive(section) {
    const every = Number(section.dataset.live) * 1000;
    const note = section.querySelector("textarea[name=text]");
    setInterval(() => {
      const writing = note && (note.value.trim() !== "" || document.activeElement === note);
      if (!writing) location.reload();
    }, every);
  }

  function start() {
    const signOut = document.querySelector('form[action="/signout"]');
    if (signOut) signOut.addEventListener("submit", forgetDrafts);
    const root = document.querySelector(".workspace[data-problem]");
    if (root) problemPage(root);
    if (document.querySelector(".submission-page")) submissionPage();
    document.querySelectorAll("[data-deadline]").forEach(countdown);
    const live = document.querySelector(".watch[data-live]");
    if (live) watchLive(live);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
