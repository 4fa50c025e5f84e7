//! The service attacked as a hostile candidate and a hostile account holder would: one test
//! per class of hole a security review found, each against the real `judge serve` on
//! 127.0.0.1 over real HTTP, each failing if its hole opens again. Only loopback addresses
//! are ever connected to (127.0.0.2 stands for "another client"). `client.rs` and
//! `receiver.rs` are the attacker's tools the tests share.

mod accounts;
mod client;
mod headers;
mod receiver;
mod rendering;
mod webhooks;
