//! A judge built without the `service` feature (`--no-default-features`) has no `serve`,
//! `worker`, `workers`, `backup`, `user` or `interview create`: clap alone would call them
//! unknown words, so the refusal says what they need instead.

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// The subcommands only a judge with the `service` feature has (`create` is `interview`'s).
const SERVICE_COMMANDS: [&str; 6] = ["serve", "worker", "workers", "backup", "user", "create"];

/// The words for a parse error, when it names a command this judge was built without.
pub(super) fn refusal(e: &clap::Error) -> Option<String> {
    if cfg!(feature = "service") {
        return None;
    }
    service_command_refused(e)
}

/// The refusal for an unknown subcommand that is one of the service's.
fn service_command_refused(e: &clap::Error) -> Option<String> {
    if e.kind() != ErrorKind::InvalidSubcommand {
        return None;
    }
    let Some(ContextValue::String(name)) = e.get(ContextKind::InvalidSubcommand) else {
        return None;
    };
    if !SERVICE_COMMANDS.contains(&name.as_str()) {
        return None;
    }
    let command = if name == "create" {
        "interview create"
    } else {
        name.as_str()
    };
    Some(format!(
        "`judge {command}` needs a judge built with the `service` feature, and this one was \
         built without it (--no-default-features); the default build has it: `cargo install \
         --path .`"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A command line without the service's commands, as a build without the feature has.
    fn parse_without_service(argv: &[&str]) -> clap::Error {
        let interview = clap::Command::new("interview").subcommand(clap::Command::new("start"));
        clap::Command::new("judge")
            .subcommand(clap::Command::new("submit"))
            .subcommand(interview)
            .try_get_matches_from(argv)
            .unwrap_err()
    }

    #[test]
    fn a_service_command_is_refused_with_what_it_needs() {
        let e = parse_without_service(&["judge", "serve", "--listen", "127.0.0.1:0"]);
        let words = service_command_refused(&e).expect("serve is the service's");
        assert!(
            words.starts_with("`judge serve` needs a judge built with the `service` feature"),
            "{words}"
        );
        let e = parse_without_service(&["judge", "interview", "create", "--serve", "x"]);
        let words = service_command_refused(&e).expect("interview create is the service's");
        assert!(
            words.starts_with("`judge interview create` needs"),
            "{words}"
        );
    }

    #[test]
    fn other_mistakes_keep_clap_s_words() {
        let e = parse_without_service(&["judge", "sbumit"]);
        assert_eq!(service_command_refused(&e), None);
        let e = parse_without_service(&["judge", "submit", "--no-such-flag"]);
        assert_eq!(service_command_refused(&e), None);
    }

    #[test]
    fn the_default_build_parses_them_itself() {
        // With the feature, clap knows these commands: nothing is refused here.
        let e = parse_without_service(&["judge", "serve"]);
        assert_eq!(refusal(&e).is_some(), !cfg!(feature = "service"));
    }
}
