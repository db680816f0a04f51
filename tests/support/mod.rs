//! Test helpers for the alert tests: a real HTTP receiver on 127.0.0.1 and
//! a Standard Webhooks verifier written from the specification (not from
//! claimdiff's signing code), so that the tests check claimdiff against the
//! spec rather than against itself.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of the support code"
)]

use std::collections::HashMap;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac as _};
use sha2::Sha256;

/// How the receiver answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    /// 200 at once.
    Ok,
    /// 200 after a pause (to be killed or timed out in the middle).
    Slow(Duration),
    /// This status at once.
    Status(u16),
    /// Read the request, then close the connection without answering.
    Hangup,
}

/// One request the receiver read in full.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Lower-cased names.
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
    /// The status answered, 0 for a hang-up.
    pub status: u16,
}

impl Request {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(String::as_str).unwrap_or("")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the body is JSON")
    }
}

/// A webhook receiver on an ephemeral port of 127.0.0.1, one thread per
/// connection, `connection: close` on every answer.
#[derive(Clone)]
pub struct Receiver {
    addr: std::net::SocketAddr,
    mode: Arc<Mutex<Mode>>,
    seen: Arc<Mutex<Vec<Request>>>,
}

impl Receiver {
    pub fn start() -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let receiver = Receiver {
            addr: listener.local_addr().unwrap(),
            mode: Arc::new(Mutex::new(Mode::Ok)),
            seen: Arc::new(Mutex::new(Vec::new())),
        };
        let shared = receiver.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = shared.clone();
                std::thread::spawn(move || shared.serve(stream));
            }
        });
        receiver
    }

    pub fn url(&self) -> String {
        format!("http://{}/hook", self.addr)
    }

    pub fn set_mode(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }

    /// Every request read in full, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        self.seen.lock().unwrap().clone()
    }

    /// The requests answered with a 2xx.
    pub fn accepted(&self) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|r| (200..300).contains(&r.status))
            .collect()
    }

    /// How many requests with each `webhook-id` were read in full.
    pub fn count_by_id(&self) -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        for r in self.requests() {
            *counts.entry(r.header("webhook-id").to_owned()).or_default() += 1;
        }
        counts
    }

    fn serve(&self, stream: TcpStream) {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let Some(mut request) = read_request(&stream) else {
            return;
        };
        let mode = *self.mode.lock().unwrap();
        let status = match mode {
            Mode::Ok => 200,
            Mode::Slow(pause) => {
                std::thread::sleep(pause);
                200
            }
            Mode::Status(s) => s,
            Mode::Hangup => 0,
        };
        request.status = status;
        // Recorded once the request is read in full: that is when a real
        // receiver would have acted on it, whether or not its answer arrives.
        self.seen.lock().unwrap().push(request);
        if status != 0 {
            let reason = if status < 300 { "OK" } else { "Error" };
            let body = if status < 300 { "" } else { "receiver says no" };
            let _ = write!(
                &stream,
                "HTTP/1.1 {status} {reason}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    }
}

fn read_request(stream: &TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let path = parts.next()?.to_owned();
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
    }
    let len: usize = headers.get("content-length")?.parse().ok()?;
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        path,
        headers,
        body,
        status: 0,
    })
}

/// A URL where nothing listens: connections are refused.
pub fn refused_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}/hook")
}

/// Why a request fails Standard Webhooks verification.
#[derive(Debug, PartialEq)]
pub enum Rejected {
    MissingHeader(&'static str),
    BadSecret,
    TooOld,
    InFuture,
    BadSignature,
}

/// The consumer side of Standard Webhooks, from the spec: decode the secret
/// after `whsec_`, HMAC-SHA256 `{id}.{timestamp}.{body}`, compare in
/// constant time with each `v1,` signature of the space-separated header,
/// and refuse a timestamp more than 5 minutes from `now`.
pub fn verify(secret: &str, request: &Request, now: i64) -> Result<(), Rejected> {
    let get = |name: &'static str| {
        request
            .headers
            .get(name)
            .map(String::as_str)
            .ok_or(Rejected::MissingHeader(name))
    };
    let id = get("webhook-id")?;
    let timestamp: i64 = get("webhook-timestamp")?
        .parse()
        .map_err(|_| Rejected::MissingHeader("webhook-timestamp"))?;
    let signatures = get("webhook-signature")?;
    const TOLERANCE: i64 = 5 * 60;
    if now - timestamp > TOLERANCE {
        return Err(Rejected::TooOld);
    }
    if timestamp - now > TOLERANCE {
        return Err(Rejected::InFuture);
    }
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").ok_or(Rejected::BadSecret)?)
        .map_err(|_| Rejected::BadSecret)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(&request.body);
    for signature in signatures.split(' ') {
        let Some(("v1", encoded)) = signature.split_once(',') else {
            continue;
        };
        let Ok(candidate) = STANDARD.decode(encoded) else {
            continue;
        };
        // `verify_slice` compares in constant time.
        if mac.clone().verify_slice(&candidate).is_ok() {
            return Ok(());
        }
    }
    Err(Rejected::BadSignature)
}

pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// An error and its sources, `: `-separated, as anyhow's `{:#}` prints them.
pub fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut cause = err.source();
    while let Some(e) = cause {
        text.push_str(": ");
        text.push_str(&e.to_string());
        cause = e.source();
    }
    text
}
