//! claimdiff: check what companies say in public against the evidence and
//! against what they said before.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod alerts;
pub mod align;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod desk;
pub mod engine;
pub mod error;
pub mod finding;
pub mod ingest;
pub mod matching;
pub mod pairing;
pub mod report;
pub mod rules;
pub mod verify;
