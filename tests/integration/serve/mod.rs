//! `judge serve` as a client uses it: the real server on 127.0.0.1 (an ephemeral port), real
//! HTTP, the real database in a temp data dir; killed with SIGKILL in the middle and started
//! again on the same data. The server and the client's steps (`server.rs`, `stream.rs`) are
//! shared with every other suite that drives the service.

mod api;
mod durability;
mod events;
mod openapi;
mod schema;
mod server;
mod stream;
mod webhooks;

pub(crate) use server::{
    add_user, add_user_with, data_dir, eventually, finished, get, one_is_judging, post, post_batch,
    sixty_submissions, slow_ac, slower_ac, source, submission, succeeded, Log, Server,
    LOOPBACK_HOOKS, T_VALUE_AC, T_VALUE_WA,
};
pub(crate) use stream::{events, reconnecting_reader_misses_nothing, Stream};
