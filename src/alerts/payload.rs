//! The bytes that go out: an alert's payload as compact JSON, a digest of
//! several alerts, and the sha256 recorded for each.
//!
//! The bytes are produced once per message and the same bytes are signed,
//! sent and hashed: a signature over a re-serialised body would not verify.

use serde_json::Value;
use sha2::{Digest as _, Sha256};

use super::Alert;

/// The body of one alert: its payload as compact JSON, nothing around it.
pub fn body(payload: &Value) -> Vec<u8> {
    // Serialising a `Value` cannot fail: its keys are strings already.
    serde_json::to_vec(payload).expect("a JSON value serialises")
}

/// One message for several alerts: `{"alerts":[payload, …]}`, with an id
/// derived from the members' fingerprints, so that a digest sent again
/// after a crash (same members) carries the same idempotency id.
pub fn digest(alerts: &[&Alert]) -> (String, Value) {
    let mut fingerprints: Vec<&str> = alerts.iter().map(|a| a.fingerprint.as_str()).collect();
    fingerprints.sort_unstable();
    let mut hasher = Sha256::new();
    for fp in fingerprints {
        hasher.update(fp.as_bytes());
        hasher.update(b"\n");
    }
    let id = format!("digest-{}", hex(&hasher.finalize()));
    let payloads = alerts.iter().map(|a| a.payload.clone()).collect();
    (id, serde_json::json!({ "alerts": Value::Array(payloads) }))
}

/// Lower-case hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn alert(fp: &str) -> Alert {
        Alert {
            fingerprint: fp.to_owned(),
            payload: json!({ "fingerprint": fp }),
            subject: String::new(),
            items: Vec::new(),
        }
    }

    #[test]
    fn digest_id_depends_on_the_members_not_their_order() {
        let (a, b, c) = (alert("a"), alert("b"), alert("c"));
        let (id1, body1) = digest(&[&a, &b]);
        let (id2, _) = digest(&[&b, &a]);
        let (id3, _) = digest(&[&a, &b, &c]);
        assert_eq!(id1, id2);
        assert_ne!(id1, id3);
        assert!(!id1.contains('.'));
        assert_eq!(
            body1,
            json!({"alerts": [{"fingerprint": "a"}, {"fingerprint": "b"}]})
        );
    }

    #[test]
    fn sha256_is_lower_hex() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
