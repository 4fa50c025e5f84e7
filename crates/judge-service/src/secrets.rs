//! The secrets the service hands out and what its database keeps of them: random tokens
//! (API tokens, session ids, CSRF tokens, interview links, the webhook key) kept as their
//! SHA-256, and passwords kept as argon2id hashes. Below `session` and `accounts`, which
//! both use them, so neither imports the other.

use std::fs::File;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use judge_core::cache::digest;

/// A new secret token (32 random bytes, hex) and the hash the database keeps of it.
pub fn new_token() -> std::io::Result<(String, String)> {
    use std::io::Read;
    let mut bytes = [0u8; 32];
    File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    let token = judge_core::cache::hex(&bytes);
    let hash = token_hash(&token);
    Ok((token, hash))
}

/// What the database keeps of a token: its SHA-256, so a copy of the database holds no
/// usable token.
pub fn token_hash(token: &str) -> String {
    digest(&[token.as_bytes()])
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |diff, (x, y)| diff | (x ^ y))
            == 0
}

/// The argon2id hash (a PHC string, salt included) that the database keeps of a password.
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
}

/// True when `password` is the one `hash` was made from.
pub fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_matches_its_hash_only() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(password_matches("correct horse", &hash));
        assert!(!password_matches("correct hors", &hash));
        assert!(!password_matches("correct horse", "not a hash"));
        // A salt per hash: the same password hashes differently twice.
        assert_ne!(hash, hash_password("correct horse").unwrap());
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
        assert!(!same("", "a"));
    }

    #[test]
    fn a_token_is_random_and_kept_as_its_hash() {
        let (token, hash) = new_token().unwrap();
        assert_eq!(token.len(), 64, "{token}");
        assert_eq!(hash, token_hash(&token));
        assert_ne!(hash, token);
        assert_ne!(new_token().unwrap().0, token);
    }
}
