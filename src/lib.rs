//! claimdiff: check what companies say in public against the evidence and
//! against what they said before.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod alerts;
pub mod align;
pub mod corpus;
pub mod error;
pub mod ingest;
pub mod rules;
