//! A primary school and its first-grade class plan.

use super::{Location, SchoolId};

/// A school as read from `schools.csv`, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct School {
    /// Column `school_id`.
    pub id: SchoolId,
    /// Column `name`.
    pub name: String,
    /// Columns `lat`, `lon`.
    pub location: Location,
    /// Column `classes`: the first-grade classes the school plans to open.
    pub classes: u32,
    /// Column `min_classes` (default `classes`): fewest classes it may open.
    pub min_classes: u32,
    /// Column `max_classes` (default `classes`): most classes it may open.
    pub max_classes: u32,
    /// Column `reserved_seats` (default 0): seats already taken, e.g. by repeaters.
    pub reserved_seats: u32,
    /// Column `prev_migration_share`: share of pupils with migration background
    /// among the previous year's first-graders, in [0, 1].
    pub prev_migration_share: f64,
}
