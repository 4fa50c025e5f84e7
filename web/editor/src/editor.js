// The solution editor of judge serve's web pages: CodeMirror 6 with Rust, Python, C, C++
// and Java highlighting (by the languages table's id; any other language is plain text),
// bundled by build.sh into crates/judge-service/src/web/assets/editor.js, which exposes one global,
// window.JudgeEditor. See README.md beside this folder for the API and how to rebuild.
//
// Keyboard: Tab indents (indentWithTab). A keyboard-only user leaves the editor with
// Escape then Tab (Tab within two seconds of Escape moves the focus instead of indenting),
// or toggles that for good with Ctrl-M (Shift-Alt-M on macOS): CodeMirror's own
// tab-focus mode, kept as it is.

import { EditorState, Compartment, Prec } from "@codemirror/state";
import {
  EditorView,
  keymap,
  lineNumbers,
  highlightActiveLineGutter,
  highlightSpecialChars,
  drawSelection,
  dropCursor,
  rectangularSelection,
  crosshairCursor,
  highlightActiveLine,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  indentOnInput,
  syntaxHighlighting,
  HighlightStyle,
  bracketMatching,
  foldGutter,
  foldKeymap,
  indentUnit,
} from "@codemirror/language";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { lintGutter, lintKeymap, setDiagnostics } from "@codemirror/lint";
import { rust } from "@codemirror/lang-rust";
import { python } from "@codemirror/lang-python";
import { cpp } from "@codemirror/lang-cpp";
import { java } from "@codemirror/lang-java";
import { oneDarkTheme } from "@codemirror/theme-one-dark";
import { tags as t } from "@lezer/highlight";

const SEVERITIES = ["error", "warning", "info", "hint"];

// Highlighting and indentation by the judge's language id (its languages table): C is read
// by the C++ grammar; a language without a grammar here (Kotlin, one a bank adds) is plain
// text, still edited with the same keys.
const GRAMMARS = { rust, python, c: cpp, cpp, java };

function grammar(language) {
  const make = GRAMMARS[language === undefined ? "rust" : language];
  return make ? make() : [];
}

// Token colours, light and dark, each at least 4.5:1 (WCAG AA) against the editor's
// background and its active line (CodeMirror's default and One Dark's own colours fall
// short of it on some tokens, and the browser tests run axe-core on the editor).
function highlight(c) {
  return HighlightStyle.define([
    { tag: [t.keyword, t.controlKeyword, t.moduleKeyword, t.definitionKeyword, t.operatorKeyword, t.modifier, t.self], color: c.keyword },
    { tag: [t.typeName, t.className, t.namespace, t.standard(t.typeName)], color: c.type },
    { tag: [t.number, t.bool, t.atom, t.null], color: c.number },
    { tag: [t.string, t.character, t.special(t.string), t.regexp], color: c.string },
    { tag: [t.escape, t.macroName], color: c.macro },
    { tag: [t.comment, t.lineComment, t.blockComment, t.docComment], color: c.comment, fontStyle: "italic" },
    { tag: [t.function(t.variableName), t.function(t.propertyName), t.definition(t.variableName)], color: c.definition },
    { tag: [t.attributeName, t.meta, t.annotation, t.labelName], color: c.meta },
    { tag: t.invalid, color: c.invalid },
    { tag: t.link, textDecoration: "underline" },
    { tag: t.heading, fontWeight: "bold" },
    { tag: t.emphasis, fontStyle: "italic" },
    { tag: t.strong, fontWeight: "bold" },
    { tag: t.strikethrough, textDecoration: "line-through" },
  ]);
}

const LIGHT = [
  syntaxHighlighting(highlight({
    keyword: "#7a0a8a", type: "#00663f", number: "#1a52a0", string: "#a31515", macro: "#7a3e00",
    comment: "#6b5500", definition: "#1d4ed8", meta: "#4a4a4a", invalid: "#c00000",
  })),
];

const DARK = [
  oneDarkTheme,
  // One Dark's line numbers are too faint to read (3.9:1).
  EditorView.theme({ ".cm-gutters .cm-gutterElement": { color: "#9aa3b2" } }, { dark: true }),
  syntaxHighlighting(highlight({
    keyword: "#d49ef5", type: "#e5c07b", number: "#e8a36b", string: "#98c379", macro: "#56c8d8",
    comment: "#9aa3b2", definition: "#7ab8f5", meta: "#b8bfcc", invalid: "#ff8080",
  })),
];

// A whole number at least `low`, or `low` for anything else (NaN, strings, undefined).
function atLeast(value, low) {
  const n = Math.floor(Number(value));
  return Number.isFinite(n) && n >= low ? n : low;
}

// The document position of 1-based (line, column), clamped to the document: a line past
// the end is the last line, a column past the end of its line is the line's end.
function position(doc, line, column) {
  const l = doc.line(Math.min(atLeast(line, 1), doc.lines));
  return l.from + Math.min(atLeast(column, 1) - 1, l.length);
}

// One lint Diagnostic from {line, column, message, severity, endLine?, endColumn?}.
// Without an end (or with one not after the start) the underline covers the word at the
// position, or one character, so it is visible; an empty line gets a point marker.
function diagnostic(doc, state, e) {
  const from = position(doc, e.line, e.column);
  let to = from;
  if (e.endLine != null || e.endColumn != null) {
    to = position(doc, e.endLine ?? e.line, e.endColumn ?? e.column);
  }
  if (to <= from) {
    const word = state.wordAt(from);
    const line = doc.lineAt(from);
    to = word && word.to > from ? word.to : Math.min(from + 1, line.to);
  }
  const severity = SEVERITIES.includes(e.severity) ? e.severity : e.severity ? "info" : "error";
  return { from, to, severity, message: String(e.message ?? "") };
}

function create(parent, options = {}) {
  const { doc = "", language, onChange, onRun, onSubmit } = options;
  let dark = Boolean(options.dark);
  const theme = new Compartment();
  const syntax = new Compartment();
  const call = (f) => () => {
    if (typeof f !== "function") return false;
    f();
    return true;
  };

  // Everything the editor is, for a language: the same for a new document (`load`).
  const extensions = (lang) => [
    // Run and submit come first, before defaultKeymap's Mod-Enter (insertBlankLine).
    // Both Ctrl and Cmd (Meta) on every platform, as the page's hint says.
    Prec.highest(
      keymap.of([
        { key: "Ctrl-Enter", run: call(onRun) },
        { key: "Meta-Enter", run: call(onRun) },
        { key: "Ctrl-Shift-Enter", run: call(onSubmit) },
        { key: "Meta-Shift-Enter", run: call(onSubmit) },
      ]),
    ),
    lineNumbers(),
    highlightActiveLineGutter(),
    foldGutter(),
    lintGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    dropCursor(),
    EditorState.allowMultipleSelections.of(true),
    // Four spaces, as rustfmt and PEP 8 indent (CodeMirror's default unit is two).
    indentUnit.of("    "),
    EditorState.tabSize.of(4),
    indentOnInput(),
    bracketMatching(),
    closeBrackets(),
    rectangularSelection(),
    crosshairCursor(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    // Long lines wrap (a stub's signature is read whole, at any width).
    EditorView.lineWrapping,
    keymap.of([
      ...closeBracketsKeymap,
      ...defaultKeymap,
      ...searchKeymap,
      ...historyKeymap,
      ...foldKeymap,
      ...lintKeymap,
      indentWithTab,
    ]),
    syntax.of(grammar(lang)),
    theme.of(dark ? DARK : LIGHT),
    EditorView.contentAttributes.of({ "aria-label": "Solution code" }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged && typeof onChange === "function") {
        onChange(update.state.doc.toString());
      }
    }),
  ];

  const view = new EditorView({
    parent,
    state: EditorState.create({ doc, extensions: extensions(language) }),
  });

  return {
    view,
    getDoc: () => view.state.doc.toString(),
    setDoc(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: String(text) } });
    },
    focus: () => view.focus(),
    setDark(on) {
      dark = Boolean(on);
      view.dispatch({ effects: theme.reconfigure(dark ? DARK : LIGHT) });
    },
    // Another language's code: a new document highlighted as `language`, with an undo
    // history of its own (Ctrl-Z never brings back the other language's code) and no
    // diagnostics. onChange is not called: the caller knows the text it gave.
    load(text, language) {
      view.setState(EditorState.create({ doc: String(text), extensions: extensions(language) }));
    },
    markErrors(errors) {
      const state = view.state;
      const diagnostics = (errors || []).map((e) => diagnostic(state.doc, state, e));
      diagnostics.sort((a, b) => a.from - b.from || a.to - b.to);
      view.dispatch(setDiagnostics(state, diagnostics));
    },
    clearErrors() {
      view.dispatch(setDiagnostics(view.state, []));
    },
    destroy: () => view.destroy(),
  };
}

window.JudgeEditor = { create };
