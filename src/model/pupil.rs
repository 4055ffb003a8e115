//! A school starter.

use super::{Address, Location, PupilId, UnitId};

/// A pupil as read from `pupils.csv`, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Pupil {
    /// Column `pupil_id`.
    pub id: PupilId,
    /// Columns `lat`, `lon`: the home address.
    pub location: Location,
    /// Column `migration_background` (0 or 1).
    pub migrant: bool,
    /// Column `unit_id` (optional): the street section the home belongs to.
    pub unit: Option<UnitId>,
    /// Columns `street`, `house_number` (optional): the home's address; with
    /// `assign = "homes"` pupils at one address go to one school.
    pub address: Option<Address>,
    /// Column `fixed_school` (optional): index into the instance's schools of
    /// the school this pupil is locked to.
    pub fixed_school: Option<usize>,
    /// Column `sibling_school` (optional): index of the school an older
    /// sibling attends; preferred with `sibling_weight_m`, required with
    /// `siblings_hard`.
    pub sibling_school: Option<usize>,
    /// Last year's school of this pupil or of its unit, from the scenario's
    /// `baseline` file; changing it costs `move_penalty_m` and counts
    /// against `max_moves`.
    pub baseline_school: Option<usize>,
}
