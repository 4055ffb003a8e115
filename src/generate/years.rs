//! Forecast cohorts for multi-year planning (`[[year]]`): the next years'
//! first-graders of the Magdeburg-like city, whose quarters drift (some
//! grow, some shrink), and a schools file with class ranges, `rooms` and
//! the classes of the older grades derived from this year's classes.

use super::city::{PupilRecord, SchoolRecord, generate_city, seeded};
use super::{GenerateOptions, magdeburg};
use serde::Serialize;

/// The forecast years: label, file, cohort against this year's, and how
/// far the quarters have drifted (0 = as this year).
pub const FORECAST_YEARS: &[(&str, &str, f64, f64)] = &[
    ("2027", "pupils-2027.csv", 1.03, 1.0),
    ("2028", "pupils-2028.csv", 1.05, 2.0),
    ("2029", "pupils-2029.csv", 1.02, 3.0),
];

/// The schools file of the multi-year scenario.
pub const YEARS_SCHOOLS_FILE: &str = "schools-years.csv";

/// Relative change of a drifting quarter's weight per year of drift.
pub const DRIFT_PER_YEAR: f64 = 0.06;

/// Grades whose classes a school already runs this year (2 to 4).
pub const OLDER_GRADES: u32 = 3;

/// Every this many schools, one gets a spare classroom (`rooms` one above
/// `classes` times the grades).
pub const SPARE_ROOM_EVERY: usize = 3;

/// A row of the generated `schools-years.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearsSchoolRecord {
    /// `school_id`.
    pub school_id: String,
    /// `name`.
    pub name: String,
    /// `lat`.
    pub lat: String,
    /// `lon`.
    pub lon: String,
    /// `classes`: this year's plan.
    pub classes: u32,
    /// `prev_migration_share`.
    pub prev_migration_share: String,
    /// `min_classes`: one fewer than this year's (at least 1).
    pub min_classes: u32,
    /// `max_classes`: one more than this year's.
    pub max_classes: u32,
    /// `reserved_seats`.
    pub reserved_seats: u32,
    /// `rooms`: this year's classes in every grade, a spare room at every third school.
    pub rooms: u32,
    /// `classes_grade2`.
    pub classes_grade2: u32,
    /// `classes_grade3`.
    pub classes_grade3: u32,
    /// `classes_grade4`.
    pub classes_grade4: u32,
}

/// The multi-year schools of this year's schools.
pub fn years_schools(schools: &[SchoolRecord]) -> Vec<YearsSchoolRecord> {
    schools
        .iter()
        .enumerate()
        .map(|(i, s)| YearsSchoolRecord {
            school_id: s.school_id.clone(),
            name: s.name.clone(),
            lat: s.lat.clone(),
            lon: s.lon.clone(),
            classes: s.classes,
            prev_migration_share: s.prev_migration_share.clone(),
            min_classes: s.classes.saturating_sub(1).max(1),
            max_classes: s.classes + 1,
            reserved_seats: s.reserved_seats,
            rooms: s.classes * (OLDER_GRADES + 1) + u32::from(i % SPARE_ROOM_EVERY == 0),
            classes_grade2: s.classes,
            classes_grade3: s.classes,
            classes_grade4: s.classes,
        })
        .collect()
}

/// The forecast cohorts of the Magdeburg-like city: per forecast year its
/// label and pupils (ids `P<label>-<n>`), drawn with a seed of their own
/// derived from `options.seed`, over quarters whose weights drift.
pub fn forecast_cohorts(options: &GenerateOptions, cohort: usize) -> Vec<(&'static str, &'static str, Vec<PupilRecord>)> {
    FORECAST_YEARS
        .iter()
        .enumerate()
        .map(|(i, &(label, file, growth, drift))| {
            let mut quarters = magdeburg::quarters();
            for (q, quarter) in quarters.iter_mut().enumerate() {
                // Quarters drift in a fixed pattern: -2, -1, 0, +1, +2 steps.
                let direction = (q % 5) as f64 - 2.0;
                quarter.weight *= (1.0 + DRIFT_PER_YEAR * drift * direction / 2.0).max(0.1);
            }
            let mut rng = seeded(options.seed.wrapping_mul(1_000).wrapping_add(i as u64 + 1));
            let size = (cohort as f64 * growth).round() as usize;
            let mut year_options = options.clone();
            year_options.max_classes = year_options.max_classes.min(4);
            let mut pupils = generate_city(&quarters, size, &year_options, &mut rng).pupils;
            for pupil in &mut pupils {
                pupil.pupil_id = format!("P{label}-{}", &pupil.pupil_id[1..]);
            }
            (label, file, pupils)
        })
        .collect()
}

/// The scenario `scenarios/magdeburg-years.toml`: this year's cohort and the
/// forecast years, rooms from `schools-years.csv`.
pub fn years_scenario_toml() -> String {
    let mut text = String::from(
        r#"# Multi-year planning on the bundled city: this year's cohort (2026) and three
# forecast cohorts, written by `catchment generate --preset magdeburg`. Each
# school may open one class fewer or one more than this year; its rooms are
# this year's classes in all four grades (a spare room at every third school),
# and the older grades' classes stay until they leave. See the README,
# "Multi-year planning".
name = "Magdeburg (synthetic): 2026 to 2029, rooms for all grades"
schools = "../data/magdeburg/schools-years.csv"
pupils = "../data/magdeburg/pupils.csv"

[[year]]
pupils = "../data/magdeburg/pupils.csv"
label = "2026"
"#,
    );
    for (label, file, ..) in FORECAST_YEARS {
        text.push_str(&format!("\n[[year]]\npupils = \"../data/magdeburg/{file}\"\nlabel = \"{label}\"\n"));
    }
    text
}
