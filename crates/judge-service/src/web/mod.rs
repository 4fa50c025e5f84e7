//! What every page of the web interface shares: who is looking and the page around a body
//! (`layout.rs`), a form's CSRF check (`forms.rs`), Markdown (`markdown.rs`), the embedded
//! files (`assets.rs`), a stored report and its complexity section as HTML (`report.rs`,
//! `complexity.rs`) and the editor with its language picker (`workspace.rs`). The pages
//! themselves live with their resources (`problems/`, `submissions/`, `accounts/`,
//! `interviews/`, `similarity/`), and `routes.rs` serves them.
//!
//! Pages are rendered on the server (maud), so statements read without JavaScript; the page
//! script (`assets/app.js`) calls the JSON API under `/api/v1` with the session cookie and
//! the page's CSRF token, and follows a judging's server-sent events. The editor is
//! CodeMirror 6, built from `web/editor/` into `assets/editor.js` and embedded in the
//! binary, so nothing needs Node at build or run time.

mod assets;
mod complexity;
mod forms;
mod layout;
mod markdown;
pub mod report;
pub(crate) mod workspace;

pub(crate) use assets::response as asset_response;
pub(crate) use forms::{form_ok, CsrfForm};
pub use layout::{api_error_page, error_page, Viewer};
pub(crate) use layout::{encode_query, language_name, page, when};
pub use markdown::markdown;
