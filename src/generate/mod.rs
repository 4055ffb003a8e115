//! Synthetic cities from a fixed seed.
