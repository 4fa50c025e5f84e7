fn main() {
    std::process::exit(judge::run(std::env::args_os().collect()));
}
