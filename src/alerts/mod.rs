//! Alert delivery: payloads, sinks and the SQLite delivery state.
//! (Placeholder until it lands.)
