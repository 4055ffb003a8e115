//! Documented upper limits on the numbers an input may give, and the check
//! of every rule and solver number. Limits keep every sum and product of
//! input counts far from overflowing and reject numbers no real plan has;
//! they are listed in the README (section Inputs, "Checks and limits").

use super::{AssignMode, Rules, SolverSettings};

/// Most first-grade classes a school may plan, open at least or at most
/// (`classes`, `min_classes`, `max_classes`).
pub const MAX_CLASSES_PER_SCHOOL: u32 = 100;

/// Most seats a school may have reserved (`reserved_seats`).
pub const MAX_RESERVED_SEATS: u32 = 10_000;

/// Most grades of a primary school (`grades`, multi-year planning).
pub const MAX_GRADES: u32 = 13;

/// Most classrooms a school may list (`rooms`).
pub const MAX_ROOMS_PER_SCHOOL: u32 = 1_000;

/// Most pupils per class (`class_size`, `reduced_class_size`, `min_class_size`).
pub const MAX_CLASS_SIZE: u32 = 100;

/// Largest cap on the growth of a way against the baseline in percent (`max_extra_way_pct`).
pub const MAX_EXTRA_WAY_PCT: f64 = 10_000.0;

/// Largest cap on moves against a baseline (`max_moves`).
pub const MAX_MOVES: u32 = 10_000_000;

/// Largest price in metres (`move_penalty_m`, `sibling_weight_m`): 100,000
/// km, more than twice the Earth's circumference, so already worth more
/// than any way; larger prices only spoil the solver's arithmetic.
pub const MAX_PRICE_M: f64 = 100_000_000.0;

/// HiGHS may use at most this many threads per core of the machine.
pub const THREADS_PER_CORE: u32 = 4;

/// The most `threads` this machine allows: [`THREADS_PER_CORE`] times its cores.
pub fn max_threads() -> u32 {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    u32::try_from(cores).unwrap_or(u32::MAX).saturating_mul(THREADS_PER_CORE)
}

/// Checks a thread count against [`max_threads`]; the message says what to do.
pub fn check_threads(threads: u32) -> Result<(), String> {
    let max = max_threads();
    if threads == 0 {
        Err("must be at least 1".into())
    } else if threads > max {
        Err(format!(
            "must be at most {max} ({THREADS_PER_CORE} per core of this machine); more threads only slow HiGHS down, use 1 for reproducible runs"
        ))
    } else {
        Ok(())
    }
}

/// A rule or solver number that makes no sense.
#[derive(Debug, Clone, PartialEq)]
pub struct SettingProblem {
    /// The keys involved, in their table; the first is the one reported,
    /// the others are read with it (e.g. `reduced_class_size` with `class_size`).
    pub keys: Vec<&'static str>,
    /// What is wrong and what to do, starting with `key = value`.
    pub message: String,
}

fn problem(keys: &[&'static str], message: String) -> SettingProblem {
    SettingProblem {
        keys: keys.to_vec(),
        message,
    }
}

impl Rules {
    /// Checks every rule number; the first problem found, if any.
    pub fn check(&self) -> Result<(), SettingProblem> {
        self.check_class_sizes()?;
        if !(1..=MAX_GRADES).contains(&self.grades) {
            return Err(problem(
                &["grades"],
                format!(
                    "grades = {} must be a whole number from 1 to {MAX_GRADES} (the grades a class stays at the school; 4 in Germany)",
                    self.grades
                ),
            ));
        }
        let t = self.migration_threshold;
        if !(t > 0.0 && t < 1.0) {
            return Err(problem(
                &["migration_threshold"],
                format!("migration_threshold = {t} must be a share strictly between 0 and 1 (e.g. 0.25 for 25%)"),
            ));
        }
        if let Some(d) = self.max_distance_m
            && !(d.is_finite() && d > 0.0)
        {
            return Err(problem(
                &["max_distance_m"],
                format!("max_distance_m = {d} must be a positive number of metres; remove the key for no limit"),
            ));
        }
        let a = self.acceptable_way_m;
        if !(a.is_finite() && a > 0.0) {
            return Err(problem(
                &["acceptable_way_m"],
                format!("acceptable_way_m = {a} must be a positive number of metres"),
            ));
        }
        for (key, value) in [("move_penalty_m", self.move_penalty_m), ("sibling_weight_m", self.sibling_weight_m)] {
            if !(value.is_finite() && value >= 0.0) {
                return Err(problem(
                    &[key],
                    format!("{key} = {value} must be a number of metres, not negative (0 = no price)"),
                ));
            }
            if value > MAX_PRICE_M {
                return Err(problem(
                    &[key],
                    format!("{key} = {value} must be at most {MAX_PRICE_M} metres, which already outweighs any way"),
                ));
            }
        }
        for (key, value) in [
            ("max_migration_share", self.max_migration_share),
            ("max_share_deviation", self.max_share_deviation),
        ] {
            if let Some(v) = value
                && !(v.is_finite() && v > 0.0 && v <= 1.0)
            {
                return Err(problem(
                    &[key],
                    format!("{key} = {v} must be a share above 0 and at most 1 (e.g. 0.40 for 40%); remove the key for no bound"),
                ));
            }
        }
        self.check_change_caps()?;
        if self.contiguous && self.assign == AssignMode::Pupils {
            return Err(problem(
                &["contiguous", "assign"],
                "contiguous = true needs whole groups, since a district is made of whole cells: set assign = \"homes\" (one address, one school) or assign = \"units\", or remove contiguous".into(),
            ));
        }
        if let Some(c) = self.min_compactness
            && !(c.is_finite() && c > 0.0 && c <= 1.0)
        {
            return Err(problem(
                &["min_compactness"],
                format!(
                    "min_compactness = {c} must be a Polsby-Popper value above 0 and at most 1 (a disc is 1, a square 0.785; e.g. 0.2); remove the key for no bound"
                ),
            ));
        }
        if let Some(m) = self.max_moves
            && m > MAX_MOVES
        {
            return Err(problem(
                &["max_moves"],
                format!("max_moves = {m} must be at most {MAX_MOVES}; remove the key for no cap"),
            ));
        }
        Ok(())
    }

    /// Caps on change against the baseline: metres and percent finite, not
    /// negative and at most [`MAX_PRICE_M`] and [`MAX_EXTRA_WAY_PCT`]; the
    /// school change at most [`MAX_MOVES`].
    fn check_change_caps(&self) -> Result<(), SettingProblem> {
        for (key, value, most, unit) in [
            ("max_extra_way_m", self.max_extra_way_m, MAX_PRICE_M, "metres"),
            ("max_extra_way_pct", self.max_extra_way_pct, MAX_EXTRA_WAY_PCT, "percent"),
        ] {
            if let Some(v) = value
                && !(v.is_finite() && (0.0..=most).contains(&v))
            {
                return Err(problem(
                    &[key],
                    format!(
                        "{key} = {v} must be a number of {unit} from 0 to {most} (0 = no longer than in the baseline); remove the key for no cap"
                    ),
                ));
            }
        }
        if let Some(n) = self.max_school_change
            && n > MAX_MOVES
        {
            return Err(problem(
                &["max_school_change"],
                format!("max_school_change = {n} must be at most {MAX_MOVES}; remove the key for no cap"),
            ));
        }
        Ok(())
    }

    /// Class sizes: 1..=MAX_CLASS_SIZE, reduced at most the full size, a
    /// minimum that a class of the full size can hold.
    fn check_class_sizes(&self) -> Result<(), SettingProblem> {
        for (key, value) in [("class_size", self.class_size), ("reduced_class_size", self.reduced_class_size)] {
            if !(1..=MAX_CLASS_SIZE).contains(&value) {
                return Err(problem(
                    &[key],
                    format!("{key} = {value} must be at least 1 and at most {MAX_CLASS_SIZE} pupils per class"),
                ));
            }
        }
        if self.reduced_class_size > self.class_size {
            return Err(problem(
                &["reduced_class_size", "class_size"],
                format!(
                    "reduced_class_size = {} is more than class_size = {}: schools above the migration threshold would get more seats, not fewer; make reduced_class_size at most class_size",
                    self.reduced_class_size, self.class_size
                ),
            ));
        }
        match self.min_class_size {
            Some(0) => Err(problem(
                &["min_class_size"],
                "min_class_size = 0 must be at least 1; remove the key for no minimum".into(),
            )),
            Some(m) if m > self.class_size => Err(problem(
                &["min_class_size", "class_size"],
                format!(
                    "min_class_size = {m} is more than class_size = {}: no class could ever hold its minimum; make min_class_size at most class_size",
                    self.class_size
                ),
            )),
            _ => Ok(()),
        }
    }
}

impl SolverSettings {
    /// Checks every solver number (threads against this machine's
    /// [`max_threads`]); the first problem found, if any.
    pub fn check(&self) -> Result<(), SettingProblem> {
        let gap = self.mip_gap;
        if !(gap.is_finite() && (0.0..1.0).contains(&gap)) {
            return Err(problem(
                &["mip_gap"],
                format!("mip_gap = {gap} must be a fraction in [0, 1) (0 = proven optimal, 0.01 = within 1%)"),
            ));
        }
        if let Some(t) = self.time_limit_s
            && !(t.is_finite() && t > 0.0)
        {
            return Err(problem(
                &["time_limit_s"],
                format!("time_limit_s = {t} must be a positive number of seconds; remove the key for no limit"),
            ));
        }
        check_threads(self.threads).map_err(|why| problem(&["threads"], format!("threads = {} {why}", self.threads)))?;
        if self.candidate_nearest == 0 {
            return Err(problem(&["candidate_nearest"], "candidate_nearest = 0 must be at least 1".into()));
        }
        let r = self.candidate_radius_m;
        if !(r.is_finite() && r >= 0.0) {
            return Err(problem(
                &["candidate_radius_m"],
                format!("candidate_radius_m = {r} must be a number of metres, not negative"),
            ));
        }
        let reach = self.first_integer_reach_m;
        if !(reach.is_finite() && reach >= 0.0) {
            return Err(problem(
                &["first_integer_reach_m"],
                format!("first_integer_reach_m = {reach} must be a number of metres, not negative"),
            ));
        }
        Ok(())
    }
}
