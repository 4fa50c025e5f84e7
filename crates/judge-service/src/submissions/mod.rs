//! Submissions as a resource of the API: new ones, batches, one and a history (`api.rs`),
//! and their live events (`events.rs`). What a viewer sees of one is `views`'; their pages
//! are `web`'s (`web/pages.rs`).

pub(crate) mod api;
pub(crate) mod events;
