//! The command line's stdout: every print of `cli/` goes through `emit` (the `print!` and
//! `println!` of `cli/mod.rs`), and code that writes to a writer it is given gets `Stdout`;
//! both end the judge quietly when the reader went away.

/// Writes to stdout; a reader that went away (`judge verify | head`) ends the judge quietly
/// instead of a panic. SIGPIPE itself stays ignored: the judge writes into boxes' pipes.
pub(super) fn emit(args: std::fmt::Arguments) {
    use std::io::Write;
    let _ = quiet_on_broken_pipe(std::io::stdout().lock().write_fmt(args));
}

/// Stdout for code that writes its text to a writer it is given (the interview commands):
/// a broken pipe ends the judge quietly, as in `emit`; other failures are the writer's
/// caller's to report.
pub(super) struct Stdout;

impl std::io::Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        quiet_on_broken_pipe(std::io::stdout().lock().write(buf))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        quiet_on_broken_pipe(std::io::stdout().lock().flush())
    }
}

/// Exits with 0 if the reader of stdout went away: whatever the judge had left to say, no
/// one is reading it.
fn quiet_on_broken_pipe<T>(result: std::io::Result<T>) -> std::io::Result<T> {
    if let Err(e) = &result {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
    result
}
