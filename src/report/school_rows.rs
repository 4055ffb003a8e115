//! The per-school table written as the output `schools.csv`.

use crate::audit::SchoolTally;
use crate::model::Instance;
use serde::Serialize;

/// One row of the output `schools.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolRow {
    /// School id.
    pub school_id: String,
    /// Classes opened (the fewest that fit, within the class range).
    pub classes: u32,
    /// Pupils per class (22, or 17 under the reduced rule).
    pub class_size: u32,
    /// `classes * class_size`.
    pub capacity: u64,
    /// Pupils assigned.
    pub assigned: u32,
    /// Of them with migration background.
    pub migrants: u32,
    /// `migrants / assigned` (0 for an empty school), 4 decimals.
    pub migration_share: String,
    /// 1 when the reduced class size applies, else 0.
    pub reduced: u8,
    /// The share that decided `reduced` (previous year's or the intake's).
    pub deciding_share: String,
    /// Reserved seats (e.g. repeaters).
    pub reserved_seats: u32,
    /// Free seats: `capacity - assigned - reserved_seats` (negative when over).
    pub free_seats: i64,
    /// School name.
    pub name: String,
}

/// Builds the table from the checker's tallies, in school file order.
pub fn school_rows(instance: &Instance, tallies: &[SchoolTally]) -> Vec<SchoolRow> {
    tallies
        .iter()
        .map(|t| {
            let school = &instance.schools[t.index];
            SchoolRow {
                school_id: school.id.to_string(),
                classes: t.classes,
                class_size: t.class_size,
                capacity: t.capacity,
                assigned: t.assigned,
                migrants: t.migrants,
                migration_share: format!("{:.4}", t.intake_share),
                reduced: t.reduced as u8,
                deciding_share: format!("{:.4}", t.deciding_share),
                reserved_seats: school.reserved_seats,
                free_seats: t.capacity as i64 - t.assigned as i64 - school.reserved_seats as i64,
                name: school.name.clone(),
            }
        })
        .collect()
}
