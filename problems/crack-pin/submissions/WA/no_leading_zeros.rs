// Forgets that a PIN keeps its leading zeros: "0042" is never tried.
fn fnv1a(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf29ce484222325;
    for b in text.bytes() {
        hash ^= b as u64;
        hash = hash.wrapping_mul(0x100000001b3);
    }
    hash
}

pub fn crack_pin(digits: u32, target: u64) -> String {
    for n in 0..10u64.pow(digits) {
        let pin = n.to_string();
        if fnv1a(&pin) == target {
            return pin;
        }
    }
    String::new()
}
