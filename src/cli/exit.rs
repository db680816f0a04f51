//! Exit codes, in one place: 0 the run succeeded, findings or not; 1 only
//! when `--fail-on` is given and a finding reaches it (or a rule test
//! fails); 2 bad input or usage; 3 a sink refused alerts (`alert`, `watch`).
pub const SUCCESS: u8 = 0;
pub const FINDINGS: u8 = 1;
pub const BAD_INPUT: u8 = 2;
/// `alert`: a sink did not accept its alerts (they stay pending).
pub const DELIVERY_FAILED: u8 = 3;
