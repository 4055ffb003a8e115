//! Rule and solver parameters. Every number of a rule is a parameter with the
//! city's current value as its default: the law changes.

use serde::{Deserialize, Serialize};

/// Which migration share decides whether a school gets the reduced class size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MigrationBasis {
    /// The school's `prev_migration_share` (the city's practice): known before solving.
    #[default]
    PreviousYear,
    /// The share among the pupils this very assignment sends to the school:
    /// an integer condition inside the model.
    Intake,
}

/// What the assignment decides on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AssignMode {
    /// Each pupil on their own.
    #[default]
    Pupils,
    /// Pupils sharing a `unit_id` (a street section) go to the same school,
    /// as a district by-law requires.
    Units,
    /// Pupils at one address (same `street` and `house_number` where given,
    /// else the same coordinates) go to the same school: a home is never
    /// split, so the district map can place every home whole.
    Homes,
}

/// The rules an assignment must keep (table `[rules]` of a scenario).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Rules {
    /// Pupils per first-grade class (default 22).
    pub class_size: u32,
    /// Pupils per class at a school above the migration threshold (default 17).
    pub reduced_class_size: u32,
    /// A school whose migration share is strictly greater than this gets the
    /// reduced class size (default 0.25).
    pub migration_threshold: f64,
    /// Which share decides (default `previous_year`).
    pub migration_basis: MigrationBasis,
    /// If set, a school opening `k` classes receives at least `k` times this
    /// many pupils.
    pub min_class_size: Option<u32>,
    /// If set, no pupil is assigned further than this from home, in metres.
    pub max_distance_m: Option<f64>,
    /// `pupils` (default) or `units`.
    pub assign: AssignMode,
    /// A way up to this length counts as acceptable (default 2,000 m); longer
    /// ways are counted in the reports, not forbidden.
    pub acceptable_way_m: f64,
    /// With a `baseline`: metres of way that one pupil changing school
    /// against the baseline is worth (default 0: no penalty).
    pub move_penalty_m: f64,
    /// With a `baseline`: at most this many pupils change school (hard).
    pub max_moves: Option<u32>,
    /// Metres of way that sending a pupil to its `sibling_school` is worth
    /// (default 0: no preference).
    pub sibling_weight_m: f64,
    /// A pupil with a `sibling_school` must go there (default false).
    pub siblings_hard: bool,
    /// Balance: no school's intake has a migration share above this
    /// (optional; e.g. 0.40).
    pub max_migration_share: Option<f64>,
    /// Balance: every school's intake share within this much of the city's
    /// share (optional; e.g. 0.10; schools without pupils are exempt).
    pub max_share_deviation: Option<f64>,
    /// With a `baseline`: no pupil's way grows by more than this many metres
    /// against its way to its baseline school (hard; optional).
    pub max_extra_way_m: Option<f64>,
    /// With a `baseline`: no pupil's way grows by more than this many percent
    /// of its way to its baseline school (hard; optional; with
    /// `max_extra_way_m` both hold).
    pub max_extra_way_pct: Option<f64>,
    /// With a `baseline`: each school's intake differs by at most this many
    /// pupils from its baseline intake (this year's pupils whose baseline
    /// school it is; hard; optional).
    pub max_school_change: Option<u32>,
    /// Every school's district (the cells of its homes or units in the
    /// median-dual map) is connected and holds the cell of the school
    /// (default false; only with `assign = "units"` or `"homes"`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub contiguous: bool,
    /// Lowest Polsby–Popper `4 pi A / P^2` of every school's district as
    /// drawn (the district map with its default margin), in (0, 1]
    /// (optional; e.g. 0.2). Not part of the model (a shape is not linear
    /// in the assignment): checked on the result, a district below it is a
    /// `compactness` violation (exit code 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_compactness: Option<f64>,
    /// Multi-year planning (`[[year]]`): grades a class passes through at a
    /// primary school, i.e. the years a class opened in year `t` occupies a
    /// room (`t .. t + grades - 1`; default 4).
    #[serde(skip_serializing_if = "is_default_grades")]
    pub grades: u32,
}

/// The default of [`Rules::grades`]: four grades of primary school.
pub const DEFAULT_GRADES: u32 = 4;

/// Whether `grades` is its default (then it is not written into `summary.json`).
fn is_default_grades(grades: &u32) -> bool {
    *grades == DEFAULT_GRADES
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            class_size: 22,
            reduced_class_size: 17,
            migration_threshold: 0.25,
            migration_basis: MigrationBasis::PreviousYear,
            min_class_size: None,
            max_distance_m: None,
            assign: AssignMode::Pupils,
            acceptable_way_m: 2_000.0,
            move_penalty_m: 0.0,
            max_moves: None,
            sibling_weight_m: 0.0,
            siblings_hard: false,
            max_migration_share: None,
            max_share_deviation: None,
            max_extra_way_m: None,
            max_extra_way_pct: None,
            max_school_change: None,
            contiguous: false,
            min_compactness: None,
            grades: DEFAULT_GRADES,
        }
    }
}

/// A way counts as within `max_distance_m` up to this much beyond it
/// (metres): distances computed in a different order of floating-point
/// operations must not decide a rule. The checker keeps its own copy.
pub const MAX_DISTANCE_TOLERANCE_M: f64 = 0.001;

/// Bounds on each school's intake share from the balance rules.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShareBounds {
    /// Highest share allowed: `min(max_migration_share, city + max_share_deviation)`.
    pub upper: Option<f64>,
    /// Lowest share allowed: `city - max_share_deviation`, when above 0.
    pub lower: Option<f64>,
}

impl Rules {
    /// Whether any balance rule is set.
    pub fn has_balance_rules(&self) -> bool {
        self.max_migration_share.is_some() || self.max_share_deviation.is_some()
    }

    /// The bounds on each school's intake share, given the city's share
    /// (migrants over pupils of the whole instance).
    pub fn share_bounds(&self, city_share: f64) -> ShareBounds {
        let around = self.max_share_deviation.map(|d| (city_share + d, city_share - d));
        let upper = match (self.max_migration_share, around.map(|a| a.0)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        ShareBounds {
            upper: upper.filter(|&u| u < 1.0),
            lower: around.map(|a| a.1).filter(|&l| l > 0.0),
        }
    }

    /// Whether a cap on the growth of a pupil's way against the baseline is set
    /// (`max_extra_way_m` or `max_extra_way_pct`).
    pub fn has_extra_way_cap(&self) -> bool {
        self.max_extra_way_m.is_some() || self.max_extra_way_pct.is_some()
    }

    /// The longest way allowed to a pupil whose way to its baseline school is
    /// `baseline_way_m`: that way plus the smaller of `max_extra_way_m` and
    /// `max_extra_way_pct` percent of it; `None` without a cap.
    pub fn extra_way_limit_m(&self, baseline_way_m: f64) -> Option<f64> {
        let by_pct = self.max_extra_way_pct.map(|pct| baseline_way_m * pct / 100.0);
        let extra = match (self.max_extra_way_m, by_pct) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        extra.map(|e| baseline_way_m + e)
    }

    /// Whether a way of `way_m` metres breaks the cap on growth for a pupil
    /// whose baseline way is `baseline_way_m` (beyond the limit by more than
    /// [`MAX_DISTANCE_TOLERANCE_M`]); never without a cap.
    pub fn beyond_extra_way(&self, way_m: f64, baseline_way_m: f64) -> bool {
        self.extra_way_limit_m(baseline_way_m)
            .is_some_and(|limit| way_m > limit + MAX_DISTANCE_TOLERANCE_M)
    }

    /// The rules set that need a `baseline`, each as `(key, value as written)`.
    pub fn keys_needing_baseline(&self) -> Vec<(&'static str, String)> {
        let mut keys = Vec::new();
        if let Some(m) = self.max_moves {
            keys.push(("max_moves", m.to_string()));
        }
        if let Some(m) = self.max_extra_way_m {
            keys.push(("max_extra_way_m", m.to_string()));
        }
        if let Some(p) = self.max_extra_way_pct {
            keys.push(("max_extra_way_pct", p.to_string()));
        }
        if let Some(n) = self.max_school_change {
            keys.push(("max_school_change", n.to_string()));
        }
        keys
    }

    /// Whether a way of `way_m` metres breaks `max_distance_m` (beyond it by
    /// more than [`MAX_DISTANCE_TOLERANCE_M`]); never without a limit.
    pub fn beyond_max_distance(&self, way_m: f64) -> bool {
        self.max_distance_m.is_some_and(|limit| way_m > limit + MAX_DISTANCE_TOLERANCE_M)
    }

    /// Whether a school with this migration share falls under the reduced
    /// class size: share strictly greater than the threshold.
    pub fn is_reduced(&self, share: f64) -> bool {
        share > self.migration_threshold
    }

    /// Pupils per class for a school with this migration share: the one
    /// place where the 17-of-22 decision is taken (the independent checker
    /// keeps its own copy by design, see `audit::tally`).
    pub fn class_size_for(&self, share: f64) -> u32 {
        self.class_size_in(self.is_reduced(share))
    }

    /// Pupils per class in a regime: reduced (above the threshold) or full.
    pub fn class_size_in(&self, reduced: bool) -> u32 {
        if reduced { self.reduced_class_size } else { self.class_size }
    }

    /// The larger of the two class sizes: the most seats a class can have
    /// before the share is known (intake basis).
    pub fn largest_class_size(&self) -> u32 {
        self.class_size.max(self.reduced_class_size)
    }

    /// The smaller of the two class sizes.
    pub fn smallest_class_size(&self) -> u32 {
        self.class_size.min(self.reduced_class_size)
    }
}

/// Which integer program is solved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Formulation {
    /// Identical pupils merged, candidate schools pruned with an LP-duality
    /// certificate, independent parts solved separately (default).
    #[default]
    Certified,
    /// The reference model: one variable per pupil and allowed school, one
    /// HiGHS run. Same optimum, much slower; for benchmarks and cross-checks.
    Plain,
}

/// How HiGHS is run and how candidate schools are chosen (table `[solver]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SolverSettings {
    /// Wall-clock limit for the whole solve, in seconds (default: none).
    pub time_limit_s: Option<f64>,
    /// Relative MIP gap at which HiGHS stops (default 0: proven optimal).
    pub mip_gap: f64,
    /// Threads HiGHS may use (default 1, which keeps runs reproducible).
    pub threads: u32,
    /// Each pupil starts with at least this many nearest schools as
    /// candidates (default 4). Pruning is certified, so this only affects speed.
    pub candidate_nearest: usize,
    /// ... and with every school within this radius, in metres (default 2,500).
    pub candidate_radius_m: f64,
    /// `certified` (default) or `plain` (the reference model).
    pub formulation: Formulation,
    /// Hand HiGHS a first solution before it solves the integer program
    /// (default true; see `solve::warm_start`). Speed only: the optimum is the same.
    pub warm_start: bool,
    /// When the LP relaxation's optimum is integral (as it is for a pure
    /// transportation problem: known class sizes, no units, class ranges or
    /// caps), take it as the optimum without solving an integer program
    /// (default true). Speed only: the optimum is the same.
    pub integral_lp_shortcut: bool,
    /// Solve the transportation case (`previous_year` basis, splittable
    /// groups, no move cap, no class minimum) as a min-cost flow by the
    /// network simplex instead of an LP in HiGHS (default true; see
    /// `solve::transport`). Speed only: the optimum is the same.
    pub network_flow: bool,
    /// Pricing adds at most this many left-out arcs per group and round, the
    /// most negative reduced costs first (0 = all that price out; default 3).
    /// Speed only: rounds go on until no arc prices out.
    pub priced_arcs_per_group: usize,
    /// When the integer program starts from the LP's support with every
    /// class count fixed (whole groups: units, homes; or rows such as a cap
    /// on moves), its first round holds only the arcs within this reduced
    /// cost (metres) at the LP, widened while its optimum lies further above
    /// the LP bound (default 1,000; see `solve::certified`). Speed only: the
    /// rounds go on until the certificate holds.
    pub first_integer_reach_m: f64,
}

impl Default for SolverSettings {
    fn default() -> Self {
        Self {
            time_limit_s: None,
            mip_gap: 0.0,
            threads: 1,
            candidate_nearest: 4,
            candidate_radius_m: 2_500.0,
            formulation: Formulation::Certified,
            warm_start: true,
            integral_lp_shortcut: true,
            network_flow: true,
            priced_arcs_per_group: 3,
            first_integer_reach_m: 1_000.0,
        }
    }
}
