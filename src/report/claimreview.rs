//! ClaimReview (placeholder).
