//! Domain types: validated once at the boundary (see [`crate::input`]); the core
//! works on valid data only.

mod address;
mod assignment_row;
mod bylaw;
mod geo_point;
mod ids;
mod instance;
pub mod limits;
mod pupil;
mod rules;
mod school;
mod ways;
mod years;

pub use address::{Address, house_number_key, street_key};
pub use assignment_row::AssignmentRow;
pub use bylaw::{HouseNumber, Side, StreetRange, UnitRule};
pub use geo_point::{EARTH_RADIUS_M, Location, chord_to_metres, metres_to_chord};
pub use ids::{PupilId, SchoolId, UnitId};
pub use instance::{Instance, SourceFile, sha256_hex};
pub use limits::SettingProblem;
pub use pupil::Pupil;
pub use rules::{AssignMode, DEFAULT_GRADES, Formulation, MigrationBasis, Rules, ShareBounds, SolverSettings};
pub use school::School;
pub use ways::{CacheStatus, DEFAULT_MAX_SNAP_M, Metric, Snap, WalkData, WalkNetwork, WayOracle, WayTable, Ways, location_key};
pub use years::{SchoolRooms, SiblingPair, YearPlan};
