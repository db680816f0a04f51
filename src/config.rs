//! `claimdiff.toml`: project settings (paths, the reviewing organisation for
//! ClaimReview, alert state). Every field is optional; command-line flags win.

use crate::error::Diagnostic;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub corpus: Option<PathBuf>,
    pub rules: Option<PathBuf>,
    pub state: Option<PathBuf>,
    #[serde(default)]
    pub review: Review,
}

/// The organisation publishing ClaimReview output.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub author: Option<String>,
    pub url: Option<String>,
}

impl Config {
    /// Reads `claimdiff.toml` in `dir` if it exists.
    pub fn load(dir: &Path) -> Result<Config, Diagnostic> {
        let path = dir.join("claimdiff.toml");
        let Ok(text) = std::fs::read_to_string(&path) else {
            return Ok(Config::default());
        };
        toml::from_str(&text).map_err(|e| {
            let (l, c) = e.span().map_or((1, 1), |s| {
                crate::corpus::offset_line_col_pub(&text, s.start)
            });
            Diagnostic::new(
                &path,
                l,
                c,
                format!("invalid claimdiff.toml: {}", e.message().trim()),
            )
        })
    }
}
