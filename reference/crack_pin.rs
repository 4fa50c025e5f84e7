const OFFSET_BASIS: u64 = 14695981039346656037;
const PRIME: u64 = 1099511628211;

/// Tries every PIN in ascending order (so the first match is the smallest), counting in a
/// digit buffer instead of formatting each candidate.
pub fn crack_pin(digits: u32, target: u64) -> String {
    // The problem's rules, asserted: a case outside them is refused (RE) rather than
    // answered, so `judge verify` and `judge stress` never take it for a valid case.
    assert!((1..=7).contains(&digits), "1 <= digits <= 7");
    let mut pin = vec![b'0'; digits as usize];
    loop {
        let hash = pin
            .iter()
            .fold(OFFSET_BASIS, |h, &b| (h ^ u64::from(b)).wrapping_mul(PRIME));
        if hash == target {
            return String::from_utf8(pin).expect("digits are ASCII");
        }
        if !increment(&mut pin) {
            return String::new();
        }
    }
}

/// Adds one to a decimal digit buffer; false once it wraps past all nines.
fn increment(pin: &mut [u8]) -> bool {
    for d in pin.iter_mut().rev() {
        if *d == b'9' {
            *d = b'0';
        } else {
            *d += 1;
            return true;
        }
    }
    false
}
