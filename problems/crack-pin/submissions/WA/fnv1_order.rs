// FNV-1 instead of FNV-1a: multiplies before the XOR.
fn fnv1(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf29ce484222325;
    for b in text.bytes() {
        hash = hash.wrapping_mul(0x100000001b3);
        hash ^= b as u64;
    }
    hash
}

pub fn crack_pin(digits: u32, target: u64) -> String {
    for n in 0..10u64.pow(digits) {
        let pin = format!("{:0width$}", n, width = digits as usize);
        if fnv1(&pin) == target {
            return pin;
        }
    }
    String::new()
}
