//! Problems as a resource of the API: the list, a problem's document, its rejudge
//! (`api.rs`) and a user's drafts of it (`drafts.rs`). Their pages are `web`'s
//! (`web/problems.rs`, `web/pages.rs`).

pub(crate) mod api;
pub(crate) mod drafts;

pub(crate) use api::published;
