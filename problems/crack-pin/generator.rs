// Large cases for crack-pin: `size`-digit PINs. Odd seeds hide a PIN in the upper half of the
// range; even seeds ask for a random hash that (almost surely) no PIN has, so every candidate
// must be tried.
fn generate(seed: u64, size: usize) -> (u32, u64) {
    let mut rng = judge_rt::Rng::new(seed);
    // The rules allow 1 to 7 digits; larger sizes (from `judge stress`) stay at 7.
    let digits = (size as u32).clamp(1, 7);
    let size = digits as usize;
    let top = 10i64.pow(digits);
    if seed % 2 == 0 {
        return (digits, rng.next_u64());
    }
    let pin = format!("{:0width$}", rng.range(top / 2, top - 1), width = size);
    let mut hash: u64 = 14695981039346656037;
    for b in pin.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(1099511628211);
    }
    (digits, hash)
}
