//! Drawing diagnostics at their source: `file:line:col`, the line, a caret.

use super::exit;
use crate::error::Diagnostic;
use std::process::ExitCode;

pub fn render(d: &Diagnostic) -> String {
    let mut s = format!(
        "error: {}\n  --> {}:{}:{}\n",
        d.message,
        d.path.display(),
        d.line.max(1),
        d.col.max(1)
    );
    if d.line > 0
        && let Ok(text) = std::fs::read(&d.path)
    {
        let text = String::from_utf8_lossy(&text);
        if let Some(line) = text.lines().nth(d.line - 1) {
            let line: String = line.chars().take(200).collect();
            let n = d.line.to_string();
            let pad = " ".repeat(n.len());
            let caret_pad: String = line
                .chars()
                .take(d.col.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            s.push_str(&format!("{pad} |\n{n} | {line}\n{pad} | {caret_pad}^\n"));
        }
    }
    if let Some(h) = &d.hint {
        s.push_str(&format!("  = hint: {h}\n"));
    }
    s
}

/// Prints every diagnostic and returns the bad-input exit code.
pub fn report_all(ds: &[Diagnostic]) -> ExitCode {
    for d in ds {
        eprintln!("{}", render(d));
    }
    eprintln!("{} problem(s) found; nothing was checked.", ds.len());
    ExitCode::from(exit::BAD_INPUT)
}
