// Builds every candidate up front, keeps the matches, sorts them: ten million Strings.
fn fnv1a(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf29ce484222325;
    for b in text.bytes() {
        hash ^= b as u64;
        hash = hash.wrapping_mul(0x100000001b3);
    }
    hash
}

pub fn crack_pin(digits: u32, target: u64) -> String {
    let candidates: Vec<String> = (0..10u64.pow(digits))
        .map(|n| format!("{:0width$}", n, width = digits as usize))
        .collect();
    let mut matches: Vec<&String> = candidates.iter().filter(|p| fnv1a(p) == target).collect();
    matches.sort();
    matches.first().map(|p| p.to_string()).unwrap_or_default()
}
