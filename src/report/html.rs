//! HTML (placeholder).
