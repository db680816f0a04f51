//! Ingest: HTML/PDF/text to statement files. (Placeholder until it lands.)
