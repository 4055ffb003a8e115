//! Synthetic cities from a fixed seed.
//!
//! A city is a set of quarters, each with a primary school near its centre,
//! a population weight, a migration rate and a spread of homes. Homes are
//! drawn as an address pool per quarter (several pupils can share an
//! address, as in blocks of flats); pupils pick a quarter by weight and an
//! address in it; migration background is drawn from the quarter's rate, so
//! it concentrates in some quarters. Street sections (`unit_id`) are 150 m
//! cells of the quarter; streets and house numbers follow from the home's
//! position (see `addresses`). Each school's classes follow its expected intake,
//! and total seats are tuned to 3-10% above the cohort.
//!
//! The same preset and seed give the same files, byte for byte.

mod addresses;
mod city;
mod magdeburg;
mod presets;
pub mod streets;
pub mod years;

pub use city::{GeneratedCity, PupilRecord, SchoolRecord, generate_city};
pub use presets::{Preset, PresetSpec};

use crate::model::Rules;

/// Most pupils the generator makes: the whole city is held in memory (about
/// 200 bytes a pupil), and a number beyond this is a typing error rather
/// than a city.
pub const MAX_PUPILS: usize = 10_000_000;

/// Most schools the generator makes (see [`MAX_PUPILS`]).
pub const MAX_SCHOOLS: usize = 1_000_000;

/// Why a city cannot be generated with the options given: the user's to fix.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// A size option out of range, or one the preset does not take.
    #[error("{option} {value}: {reason}")]
    BadOption {
        /// The command-line option (`--pupils`, `--schools`).
        option: &'static str,
        /// Its value.
        value: String,
        /// What is wrong and what to do.
        reason: String,
    },
}

/// Parameters of the generator that are not part of a preset.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateOptions {
    /// Random seed.
    pub seed: u64,
    /// Override the preset's number of pupils.
    pub pupils: Option<usize>,
    /// Override the preset's number of schools (not for `magdeburg`, whose schools are named).
    pub schools: Option<usize>,
    /// Class size used to plan each school's classes (default 22).
    pub class_size: u32,
    /// Reduced class size used to plan classes at schools above the threshold (default 17).
    pub reduced_class_size: u32,
    /// Migration threshold of the reduced class size (default 0.25).
    pub migration_threshold: f64,
    /// Seats in total as a multiple of the cohort: lower and upper end (default 1.03..1.10).
    pub seat_margin: (f64, f64),
    /// Most classes one school opens (default 5; 4 for `magdeburg`).
    pub max_classes: u32,
    /// Local imbalance of seats and children, 0 to 1 (default 0; see
    /// [`city::imbalanced_plan`]): 0 plans each school's classes from its
    /// own quarter's forecast; 1 plans them without regard to where the
    /// children live, and puts new housing (many children, seats planned as
    /// before) into some quarters.
    pub imbalance: f64,
}

impl GenerateOptions {
    /// Defaults for a seed; the rule numbers are those of [`Rules::default`].
    pub fn new(seed: u64) -> Self {
        let rules = Rules::default();
        Self {
            seed,
            pupils: None,
            schools: None,
            class_size: rules.class_size,
            reduced_class_size: rules.reduced_class_size,
            migration_threshold: rules.migration_threshold,
            seat_margin: (1.03, 1.10),
            max_classes: 5,
            imbalance: 0.0,
        }
    }

    /// The rules the generated scenario states (class sizes and threshold),
    /// whose 17-of-22 decision plans each school's classes.
    pub fn rules(&self) -> Rules {
        Rules {
            class_size: self.class_size,
            reduced_class_size: self.reduced_class_size,
            migration_threshold: self.migration_threshold,
            ..Rules::default()
        }
    }
}

impl GenerateOptions {
    /// Checks the size overrides against the preset: at least 1, at most
    /// [`MAX_PUPILS`] / [`MAX_SCHOOLS`], and no `schools` for `magdeburg`.
    pub fn check(&self, preset: Preset) -> Result<(), GenerateError> {
        let bad = |option, value: usize, reason: String| GenerateError::BadOption {
            option,
            value: value.to_string(),
            reason,
        };
        for (option, value, most) in [("--pupils", self.pupils, MAX_PUPILS), ("--schools", self.schools, MAX_SCHOOLS)] {
            match value {
                Some(0) => return Err(bad(option, 0, "must be at least 1".into())),
                Some(n) if n > most => return Err(bad(option, n, format!("must be at most {most}"))),
                _ => {}
            }
        }
        if !(0.0..=1.0).contains(&self.imbalance) {
            return Err(GenerateError::BadOption {
                option: "--imbalance",
                value: self.imbalance.to_string(),
                reason: "must be between 0 (seats planned from local demand) and 1 (without regard to where the children live)".into(),
            });
        }
        if let (Some(n), Preset::Magdeburg) = (self.schools, preset) {
            return Err(bad(
                "--schools",
                n,
                format!(
                    "the magdeburg preset has its {} named schools and takes no --schools; leave the option out, or choose a preset of random schools (leipzig, berlin, saxony-anhalt, germany)",
                    magdeburg::quarters().len()
                ),
            ));
        }
        Ok(())
    }
}

/// The text of a scenario file for a generated city in the same folder,
/// with every rule at its default written out.
pub fn scenario_toml(name: &str, options: &GenerateOptions) -> String {
    format!(
        r#"# Generated by `catchment generate`: a synthetic city, not real pupils.
name = "{name}"
schools = "schools.csv"
pupils = "pupils.csv"

[rules]
class_size = {class_size}
reduced_class_size = {reduced}
migration_threshold = {threshold}
migration_basis = "previous_year"
assign = "pupils"

[solver]
mip_gap = 0.0
threads = 1
"#,
        class_size = options.class_size,
        reduced = options.reduced_class_size,
        threshold = options.migration_threshold,
    )
}
