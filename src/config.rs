//! `claimdiff.toml`: project settings (paths, the reviewing organisation for
//! ClaimReview, alert state). Every field is optional; command-line flags win.
//! A path in it is relative to the file's folder, so the project behaves
//! the same whichever folder `claimdiff` runs in.

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
    /// The folder of the file this was read from (empty for the current
    /// folder), or `None` when there was no file.
    #[serde(skip)]
    pub dir: Option<PathBuf>,
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
        let mut config: Config = toml::from_str(&text).map_err(|e| {
            let (l, c) = e.span().map_or((1, 1), |s| {
                crate::corpus::offset_line_col_pub(&text, s.start)
            });
            Diagnostic::new(
                &path,
                l,
                c,
                format!("invalid claimdiff.toml: {}", e.message().trim()),
            )
        })?;
        config.dir = Some(if dir == Path::new(".") {
            PathBuf::new()
        } else {
            dir.to_path_buf()
        });
        Ok(config)
    }

    /// `path` as given in this file: relative to the file's folder.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        match &self.dir {
            Some(dir) => dir.join(path),
            None => path.to_path_buf(),
        }
    }
}

/// The project a corpus folder belongs to: the folder that holds it, where
/// `claimdiff init` puts `statements/`, `rules/` and `claimdiff.toml`, and
/// where `alert` keeps its state. Empty for the current folder, so the
/// default layout's paths read as they always did (`.claimdiff/state.db`).
pub fn project_dir(corpus: &Path) -> PathBuf {
    if corpus.file_name().is_some() {
        return corpus.parent().map(Path::to_path_buf).unwrap_or_default();
    }
    // `.`, `..` or `/`: only the real path knows what holds it.
    std::fs::canonicalize(corpus)
        .ok()
        .and_then(|c| c.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| corpus.join(".."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_project_holds_the_corpus() {
        assert_eq!(project_dir(Path::new("statements")), PathBuf::new());
        assert_eq!(project_dir(Path::new("statements/")), PathBuf::new());
        assert_eq!(
            project_dir(Path::new("boeing/statements")),
            PathBuf::from("boeing")
        );
        assert_eq!(
            project_dir(Path::new("/srv/a/corpus")),
            PathBuf::from("/srv/a")
        );
        let here = std::env::current_dir().unwrap();
        assert_eq!(
            project_dir(Path::new(".")),
            here.parent().unwrap().to_path_buf()
        );
    }
}
