// The theme: the system's (prefers-color-scheme) unless the candidate chose light or dark in
// the page's header, a choice kept in this browser. Loaded in <head> without `defer`, so it
// runs before the page is drawn and no page flashes in the other theme (a file, since the
// CSP allows no inline script). style.css reads `data-theme` on <html>: absent, it follows
// the system. Other scripts (the editor) ask `JudgeTheme.dark()` and hear changes through
// `JudgeTheme.onChange`.
"use strict";

(function () {
  const KEY = "judge.theme";
  const CHOICES = ["system", "light", "dark"];
  const root = document.documentElement;
  const system = window.matchMedia("(prefers-color-scheme: dark)");
  const listeners = [];

  function chosen() {
    try {
      const value = localStorage.getItem(KEY);
      return CHOICES.includes(value) ? value : "system";
    } catch (e) {
      return "system";
    }
  }

  function dark() {
    const choice = chosen();
    return choice === "system" ? system.matches : choice === "dark";
  }

  function apply() {
    const choice = chosen();
    if (choice === "system") delete root.dataset.theme;
    else root.dataset.theme = choice;
    const select = document.getElementById("theme");
    if (select) select.value = choice;
    const now = dark();
    listeners.forEach((listener) => listener(now));
    // What the scripts drew, for whoever waits on it (the browser tests).
    root.dataset.drawn = now ? "dark" : "light";
  }

  function choose(choice) {
    try {
      if (choice === "system") localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, choice);
    } catch (e) {
      // Not kept (storage refused): it still holds for this page.
      if (choice !== "system") root.dataset.theme = choice;
    }
    apply();
  }

  apply();
  system.addEventListener("change", apply);
  // A choice made in another tab.
  window.addEventListener("storage", (e) => {
    if (e.key === KEY) apply();
  });
  window.JudgeTheme = {
    dark,
    onChange(listener) {
      listeners.push(listener);
    },
  };

  // The header's choice, shown once there is a script to act on it.
  function wire() {
    const select = document.getElementById("theme");
    if (!select) return;
    select.value = chosen();
    select.addEventListener("change", () => choose(select.value));
    select.closest(".theme-choice").hidden = false;
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
})();
