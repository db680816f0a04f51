//! Disclosure alignment: splits versions of a series document into items and
//! aligns them. (Owned by the align work; placeholder until it lands.)
