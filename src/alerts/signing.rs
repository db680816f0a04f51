//! Standard Webhooks signatures (<https://www.standardwebhooks.com>, spec 1.0.0).
//!
//! The secret is given as `whsec_<base64>`; the key is the base64-decoded part.
//! A request is signed as HMAC-SHA256 over `{msg_id}.{timestamp}.{body}` and
//! the signature is sent as `v1,<base64>` in `webhook-signature`, next to
//! `webhook-id` and `webhook-timestamp`. The secret is parsed once per run
//! ([`SigningKey::parse`]) so that a malformed secret stops the run before
//! anything is sent, and the timestamp is taken per attempt (the spec's
//! "timestamp of the attempt"), so a retried request is signed again.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac as _};
use sha2::Sha256;

use super::AlertError;

/// The prefix the spec gives symmetric secrets "for easy identification".
const SECRET_PREFIX: &str = "whsec_";
/// The spec's bounds for a symmetric secret: at least 24 bytes (192 bits),
/// at most 512 bits.
const MIN_KEY_BYTES: usize = 24;
const MAX_KEY_BYTES: usize = 64;

/// A parsed `whsec_` secret: the raw HMAC key bytes.
///
/// `Debug` is written by hand so that the key never lands in a log.
#[derive(Clone)]
pub struct SigningKey(Vec<u8>);

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(..)")
    }
}

impl SigningKey {
    /// Parses `whsec_<base64>`. The error says what is wrong without echoing
    /// the secret.
    pub fn parse(secret: &str) -> Result<SigningKey, AlertError> {
        let invalid = |reason: String| AlertError::InvalidSecret { reason };
        let encoded = secret.trim().strip_prefix(SECRET_PREFIX).ok_or_else(|| {
            invalid(format!(
                "expected `{SECRET_PREFIX}` followed by base64 (the Standard Webhooks format)"
            ))
        })?;
        let key = STANDARD.decode(encoded).map_err(|e| {
            invalid(format!(
                "the part after `{SECRET_PREFIX}` is not base64: {e}"
            ))
        })?;
        if !(MIN_KEY_BYTES..=MAX_KEY_BYTES).contains(&key.len()) {
            return Err(invalid(format!(
                "the key is {} bytes; Standard Webhooks requires {MIN_KEY_BYTES} to {MAX_KEY_BYTES}",
                key.len()
            )));
        }
        Ok(SigningKey(key))
    }

    /// The `webhook-signature` header value: `v1,<base64 HMAC-SHA256>`.
    ///
    /// The id and the timestamp are dot-delimited in the signed content, so an
    /// id with a `.` could make two different messages sign alike; the spec
    /// forbids it and so do we.
    pub fn sign(&self, msg_id: &str, timestamp: i64, body: &[u8]) -> Result<String, AlertError> {
        if msg_id.is_empty() || msg_id.contains('.') {
            return Err(AlertError::InvalidMessageId {
                id: msg_id.to_owned(),
            });
        }
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(msg_id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        Ok(format!(
            "v1,{}",
            STANDARD.encode(mac.finalize().into_bytes())
        ))
    }
}

/// Signs one message with a `whsec_` secret; see [`SigningKey`].
pub fn sign(secret: &str, msg_id: &str, timestamp: i64, body: &[u8]) -> Result<String, AlertError> {
    SigningKey::parse(secret)?.sign(msg_id, timestamp, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The known-answer vector published with the Standard Webhooks
    /// reference libraries.
    #[test]
    fn matches_the_reference_vector() {
        let sig = sign(
            "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
            "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
            1649367553,
            br#"{"email":"test@example.com","username":"test_user"}"#,
        )
        .unwrap();
        assert_eq!(sig, "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=");
    }

    #[test]
    fn malformed_secrets_are_refused_without_echoing_them() {
        for (secret, expect) in [
            ("C2FVsBQIhrscChlQIMV+b5sSYspob7oD", "expected `whsec_`"),
            ("whsec_not base64!!", "not base64"),
            ("whsec_c2hvcnQ=", "the key is 5 bytes"),
        ] {
            let err = SigningKey::parse(secret).unwrap_err().to_string();
            assert!(err.contains(expect), "{secret}: {err}");
            assert!(!err.contains(secret), "error echoes the secret: {err}");
        }
    }

    #[test]
    fn ids_with_dots_are_refused() {
        let key = SigningKey::parse("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").unwrap();
        assert!(key.sign("a.b", 1, b"{}").is_err());
        assert!(key.sign("", 1, b"{}").is_err());
    }
}
