//! The problem page's workspace: the language picker, the editor (a plain textarea until
//! the page script replaces it), its state, the actions and their keys, and a run on one's
//! own input. Without JavaScript the picker is a GET form that loads the page in the
//! chosen language; with it, the script switches in place (`assets/app.js`).

use axum::http::StatusCode;
use axum::response::Response;
use maud::{html, Markup};
use serde_json::Value;

use super::{error_page, when};
use crate::intake::DEFAULT_LANGUAGE;
use crate::store::{Draft, User};
use crate::Service;
use judge_core::languages::Language;

/// A language the problem takes here, as the picker offers it.
pub struct Choice<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// The file to start from in it.
    pub stub: String,
    /// The user's saved code in it, if any (the page script loads it on a switch).
    pub draft: Option<&'a Draft>,
}

/// The editor's language: the one asked for (which the problem must take here), else the
/// language of the user's newest draft of the problem, else Rust, else the first the
/// problem takes. `None` when it takes none installed here.
pub fn choose<'s>(
    service: &Service,
    user: &User,
    problem: &str,
    languages: &[&'s Language],
    asked: Option<&str>,
) -> Result<Option<&'s Language>, Box<Response>> {
    let find = |id: &str| languages.iter().copied().find(|l| l.id == id);
    if let Some(asked) = asked.filter(|a| !a.is_empty()) {
        let Some(language) = find(asked) else {
            let names: Vec<&str> = languages.iter().map(|l| l.name.as_str()).collect();
            return Err(Box::new(error_page(
                StatusCode::BAD_REQUEST,
                &format!(
                    "{problem} is not taken in `{asked}` on this server: it takes {}.",
                    names.join(", ")
                ),
            )));
        };
        return Ok(Some(language));
    }
    let newest = service.store.draft(user, problem, None).ok().flatten();
    Ok(newest
        .and_then(|d| find(&d.language))
        .or_else(|| find(DEFAULT_LANGUAGE))
        .or_else(|| languages.first().copied()))
}

/// The problem page's editor and what goes with it.
pub struct Workspace<'a> {
    pub id: &'a str,
    pub user: &'a str,
    /// The editor's language (its id).
    pub language: &'a str,
    /// Every language the problem takes here, the editor's among them.
    pub languages: &'a [Choice<'a>],
    /// The file to start from in the editor's language.
    pub stub: &'a str,
    /// What the editor opens with: the saved draft in its language, else the stub.
    pub source: &'a str,
    /// When the saved draft was saved, if there is one.
    pub draft_ms: Option<i64>,
    /// A function problem's arguments (name, type); None for a whole program.
    pub args: Option<&'a [(String, String)]>,
    pub first_sample: &'a Value,
    /// A submission may ask for its measured complexity (the problem has a generator).
    pub measurable: bool,
}

impl Workspace<'_> {
    /// The root's data is the page script's: the draft kept in the browser is keyed by
    /// user, problem and language, and compared with the server's by when that was saved.
    pub fn render(&self) -> Markup {
        html! {
            section.workspace aria-label="Your solution" data-problem=(self.id) data-language=(self.language)
                data-user=(self.user) data-stub=(self.stub) data-draft-ms=(self.draft_ms.unwrap_or(0)) {
                (self.picker())
                div.editor-host #editor-host {
                    label.visually-hidden for="source" { "Solution code" }
                    textarea #source name="source" spellcheck="false" rows="20" { (self.source) }
                }
                p.draft-state #draft-state aria-live="polite" {
                    @if let Some(ms) = self.draft_ms {
                        "Your saved code, from " time datetime=(ms) { (when(ms)) } "."
                    } @else { "The starting code for this problem." }
                }
                div.actions {
                    button #run type="button" aria-keyshortcuts="Control+Enter Meta+Enter" { "Run samples" }
                    button #submit.primary type="button" aria-keyshortcuts="Control+Shift+Enter Meta+Shift+Enter" { "Submit" }
                    @if self.measurable {
                        label.measure title="After the verdict, your solution and the reference run on inputs of growing size; the report says how each grows" {
                            input #measure type="checkbox";
                            " Measure complexity (about 20 s more)"
                        }
                    }
                    a href={ "/history?problem=" (self.id) } { "Your submissions" }
                    button #reset type="button" hidden { "Reset to starting code" }
                }
                p.keys.muted #keys hidden {
                    kbd.mod { "Ctrl" } "+" kbd { "Enter" } " runs the samples · "
                    kbd.mod { "Ctrl" } "+" kbd { "Shift" } "+" kbd { "Enter" } " submits · "
                    kbd { "Esc" } " then " kbd { "Tab" } " leaves the editor"
                }
                dialog #reset-dialog aria-labelledby="reset-title" {
                    form method="dialog" {
                        h2 #reset-title { "Start again from the starting code?" }
                        p { "Your code in the editor is replaced by the problem's starting code. "
                            kbd.mod { "Ctrl" } "+" kbd { "Z" } " in the editor brings yours back." }
                        div.actions {
                            button #reset-confirm value="reset" { "Replace my code" }
                            button #reset-cancel.primary value="keep" autofocus { "Keep my code" }
                        }
                    }
                }
                (self.custom_input())
                div #status role="status" aria-live="polite" {}
                div #result {}
            }
        }
    }

    /// The language to write in: a GET form (the page again, in the chosen language), whose
    /// button the page script hides and replaces by switching in place. One language is
    /// named, not offered.
    fn picker(&self) -> Markup {
        html! {
            @if self.languages.len() > 1 {
                form.language-picker method="get" action={ "/problems/" (self.id) } {
                    label for="language" { "Language" }
                    select #language name="language" {
                        @for l in self.languages {
                            option value=(l.id) data-stub=(l.stub) data-draft=[l.draft.map(|d| &d.source)]
                                data-draft-ms=[l.draft.map(|d| d.updated_ms)] selected[l.id == self.language] { (l.name) }
                        }
                    }
                    button #language-go type="submit" { "Switch" }
                }
            } @else {
                @for l in self.languages {
                    p.language-picker.muted { "Language: " (l.name) }
                }
            }
        }
    }

    fn custom_input(&self) -> Markup {
        html! {
            @if let Some(args) = self.args {
                details #custom {
                    summary { "Run on your own input" }
                    p.muted { "Write each argument as JSON. Your answer is shown beside the reference solution's." }
                    @for (name, ty) in args {
                        label.arg {
                            span { code { (name) } ": " code { (ty) } }
                            textarea data-arg=(name) rows="3" spellcheck="false" {
                                (serde_json::to_string(&self.first_sample[name.as_str()]).unwrap_or_default())
                            }
                        }
                    }
                    button #run-input type="button" { "Run on this input" }
                }
            } @else {
                p.muted.program { "A whole program: it reads the input on stdin and writes the answer on stdout." }
            }
        }
    }
}
