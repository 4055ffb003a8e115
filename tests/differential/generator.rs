//! Random cases for the differential test, made here and not by the
//! project's `generate` module: towns on a grid of micro-degrees, one town
//! or several (far apart, so that the solve decomposes, or near, so that
//! parts must be merged), tight and uneven seats, ties and shared homes, and
//! every rule switched on at random.
//!
//! The random numbers come from a SplitMix64 written here, so a seed names
//! the same case on every machine and with every version of the `rand` crate.

use super::case::{Baseline, Case, PupilSpec, RuleSpec, SchoolSpec, SolverSpec};
use std::collections::BTreeSet;

/// Micro-degrees of latitude of the towns' row (52 N).
const LAT0_U: i64 = 52_000_000;
/// Micro-degrees of longitude of the first town (11 E).
const LON0_U: i64 = 11_000_000;
/// Grid step in latitude (111 m).
const LAT_STEP_U: i64 = 1_000;
/// Grid step in longitude (103 m at 52 N).
const LON_STEP_U: i64 = 1_500;
/// Grid positions per town and axis (a town spans 16 steps, about 1.7 km).
const TOWN_STEPS: u64 = 17;
/// Distance between far towns: 0.5 degrees of longitude, about 34 km.
const FAR_TOWNS_U: i64 = 500_000;
/// Distance between near towns: 0.045 degrees of longitude, about 3.1 km.
const NEAR_TOWNS_U: i64 = 45_000;
/// Most pupils of a tiny (enumerated) case.
pub const TINY_PUPILS: u64 = 8;
/// Most schools of a tiny (enumerated) case.
pub const TINY_SCHOOLS: u64 = 3;
/// Most pupils of any case.
const MAX_PUPILS: u64 = 30;
/// Most schools of any case.
const MAX_SCHOOLS: u64 = 8;

/// SplitMix64: a small, well-mixed generator with a 64-bit state.
pub struct Rng(u64);

impl Rng {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        assert!(lo <= hi, "empty range {lo}..={hi}");
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// `true` with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p && p > 0.0
    }

    /// One of `items`.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.range(0, items.len() as u64 - 1) as usize]
    }
}

/// The seed of case `index` of a run started from `seed` (mixed, so that
/// neighbouring runs share no cases).
pub fn case_seed(seed: u64, index: u64) -> u64 {
    let mut mix = Rng::new(seed ^ 0xD1FF_E7E5_7000_0000);
    for _ in 0..(index % 4) {
        mix.next_u64();
    }
    mix.next_u64() ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// What the generator decided before placing anything.
struct Plan {
    tiny: bool,
    towns: usize,
    town_spacing_u: i64,
    /// Town of each school.
    school_towns: Vec<usize>,
}

/// A random case from `seed`.
pub fn generate(seed: u64) -> Case {
    let mut rng = Rng::new(seed);
    let mut tags = BTreeSet::new();
    let plan = plan(&mut rng, &mut tags);
    let rules = rules(&mut rng);
    let mut schools = schools(&mut rng, &plan, &rules, &mut tags);
    let n_pupils = pupil_count(&mut rng, &plan, &mut schools, &rules, &mut tags);
    let mut case = Case {
        schools,
        pupils: Vec::new(),
        baseline: None,
        rules,
        solver: solver(&mut rng),
        tags,
    };
    place_pupils(&mut rng, &plan, &mut case, n_pupils);
    add_units(&mut rng, &plan, &mut case);
    add_locks(&mut rng, &plan, &mut case);
    add_siblings(&mut rng, &plan, &mut case);
    add_baseline(&mut rng, &plan, &mut case);
    if case.baseline.is_none() {
        // Without a baseline the scenario holds no move price (see `Case::scenario_toml`).
        case.rules.move_penalty_m = 0;
    }
    add_contiguity(seed, &mut case);
    case
}

fn plan(rng: &mut Rng, tags: &mut BTreeSet<&'static str>) -> Plan {
    let tiny = rng.chance(0.4);
    let towns = if rng.chance(0.3) {
        1
    } else {
        rng.range(2, if tiny { 2 } else { 4 }) as usize
    };
    let max_schools = if tiny { TINY_SCHOOLS } else { MAX_SCHOOLS };
    let n_schools = rng.range(towns.max(2) as u64, max_schools.max(towns as u64)) as usize;
    let far = rng.chance(0.75);
    let mut school_towns: Vec<usize> = (0..towns).collect();
    while school_towns.len() < n_schools {
        school_towns.push(rng.range(0, towns as u64 - 1) as usize);
    }
    school_towns.sort();
    if towns > 1 {
        tags.insert(if far { "towns far apart" } else { "towns near each other" });
    } else {
        tags.insert("one town");
    }
    Plan {
        tiny,
        towns,
        town_spacing_u: if far { FAR_TOWNS_U } else { NEAR_TOWNS_U },
        school_towns,
    }
}

fn rules(rng: &mut Rng) -> RuleSpec {
    let class_size = rng.range(2, 5) as u32;
    RuleSpec {
        class_size,
        reduced_class_size: rng.range(1, class_size as u64) as u32,
        threshold_pct: rng.pick(&[25, 25, 25, 25, 20, 30, 50, 1, 99]),
        intake: rng.chance(0.5),
        min_class_size: rng.chance(0.25).then(|| rng.range(1, (class_size as u64 / 2).max(1)) as u32),
        max_distance_m: rng.chance(0.2).then(|| rng.pick(&[1_500, 2_500, 4_000, 40_000])),
        move_penalty_m: rng.pick(&[0, 100, 400, 1_500]),
        max_moves: None,
        sibling_weight_m: rng.pick(&[0, 150, 500, 2_000, 50_000]),
        siblings_hard: rng.chance(0.3),
        units: rng.chance(0.35),
        homes: false,
        contiguous: false,
    }
}

/// Contiguous districts (with units, or else with whole homes) for about
/// one case in five, decided by random numbers of their own, so that every
/// other case is the one the same seed made before. With whole homes, the
/// locked pupils of one point share the first one's lock (two locks at one
/// home are an input error).
fn add_contiguity(seed: u64, case: &mut Case) {
    let mut rng = Rng::new(seed ^ 0xC047_1600_5000_0000);
    if !rng.chance(0.2) {
        return;
    }
    case.rules.contiguous = true;
    if case.rules.units {
        return;
    }
    case.rules.homes = true;
    for p in 0..case.pupils.len() {
        let (point, lock) = ((case.pupils[p].lat_u, case.pupils[p].lon_u), case.pupils[p].lock);
        if lock.is_none() {
            continue;
        }
        for q in &mut case.pupils[p + 1..] {
            if (q.lat_u, q.lon_u) == point && q.lock.is_some() {
                q.lock = lock;
            }
        }
    }
}

fn solver(rng: &mut Rng) -> SolverSpec {
    let pruned = rng.chance(0.35);
    SolverSpec {
        candidate_nearest: pruned.then(|| rng.range(1, 2) as u32),
        candidate_radius_m: pruned.then(|| rng.pick(&[0, 300, 1_000])),
        warm_start: !rng.chance(0.15),
        integral_lp_shortcut: !rng.chance(0.15),
        first_integer_reach_m: rng.chance(0.3).then(|| rng.pick(&[0, 20, 200])),
    }
}

/// A grid point of a town.
fn town_point(rng: &mut Rng, plan: &Plan, town: usize) -> (i64, i64) {
    let lat = LAT0_U + rng.range(0, TOWN_STEPS - 1) as i64 * LAT_STEP_U;
    let lon = LON0_U + town as i64 * plan.town_spacing_u + rng.range(0, TOWN_STEPS - 1) as i64 * LON_STEP_U;
    (lat, lon)
}

/// A share for last year: often at the threshold or one basis point off it.
fn share_bp(rng: &mut Rng, threshold_pct: u32) -> u32 {
    let t = threshold_pct as i64 * 100;
    let near = [t - 1, t, t + 1, t, 0, 5_000, 10_000];
    let bp = if rng.chance(0.8) {
        rng.pick(&near)
    } else {
        rng.range(0, 10_000) as i64
    };
    bp.clamp(0, 10_000) as u32
}

fn schools(rng: &mut Rng, plan: &Plan, rules: &RuleSpec, tags: &mut BTreeSet<&'static str>) -> Vec<SchoolSpec> {
    let ranged = rng.chance(0.5);
    let reserving = rng.chance(0.3);
    let aligned = rng.chance(0.3);
    let mut schools: Vec<SchoolSpec> = Vec::new();
    for (i, &town) in plan.school_towns.iter().enumerate() {
        let (mut lat_u, mut lon_u) = town_point(rng, plan, town);
        // Aligned schools share a grid row or column with the previous school
        // of the town, so that a pupil halfway between them is an exact tie.
        if aligned && let Some(prev) = schools.last().filter(|_| i > 0 && plan.school_towns[i - 1] == town) {
            if rng.chance(0.5) {
                lat_u = prev.lat_u;
            } else {
                lon_u = prev.lon_u;
            }
        }
        let classes = if rng.chance(0.1) { 0 } else { rng.range(1, 3) as u32 };
        let (min_classes, max_classes) = if ranged && rng.chance(0.6) {
            (classes.saturating_sub(rng.range(0, 1) as u32), classes + rng.range(0, 1) as u32)
        } else {
            (classes, classes)
        };
        schools.push(SchoolSpec {
            id: format!("S{i}"),
            lat_u,
            lon_u,
            classes,
            min_classes,
            max_classes,
            reserved: if reserving && rng.chance(0.5) { rng.range(1, 2) as u32 } else { 0 },
            share_bp: share_bp(rng, rules.threshold_pct),
        });
    }
    if aligned {
        tags.insert("schools aligned (exact ties)");
    }
    schools
}

/// Seats at the planned classes, with last year's class sizes.
fn planned_seats(schools: &[SchoolSpec], rules: &RuleSpec) -> i64 {
    schools
        .iter()
        .map(|s| seats_per_class(s, rules) * s.classes as i64 - s.reserved as i64)
        .sum()
}

fn seats_per_class(school: &SchoolSpec, rules: &RuleSpec) -> i64 {
    let reduced = school.share_bp > rules.threshold_pct * 100;
    (if reduced { rules.reduced_class_size } else { rules.class_size }) as i64
}

/// How many pupils, and the schools' classes moved towards a seat balance:
/// as many seats as pupils, one fewer to three more, a third to spare, or as drawn.
fn pupil_count(rng: &mut Rng, plan: &Plan, schools: &mut [SchoolSpec], rules: &RuleSpec, tags: &mut BTreeSet<&'static str>) -> usize {
    let max = if plan.tiny { TINY_PUPILS } else { MAX_PUPILS };
    let n = rng.range(4, max) as i64;
    let (target, tag) = match rng.range(0, 3) {
        0 => (Some(n), "pupils = planned seats"),
        1 => (Some(n + rng.range(0, 4) as i64 - 1), "planned seats = pupils -1..+3"),
        2 => (Some(n * 4 / 3), "seats to spare"),
        _ => (None, "classes at random"),
    };
    tags.insert(tag);
    if let Some(target) = target {
        balance_classes(rng, schools, rules, target);
    }
    n as usize
}

/// Adds classes to (or removes them from) random schools until the planned
/// seats reach `target` or one more step would overshoot; a class range moves along.
fn balance_classes(rng: &mut Rng, schools: &mut [SchoolSpec], rules: &RuleSpec, target: i64) {
    for _ in 0..64 {
        let seats = planned_seats(schools, rules);
        let s = rng.range(0, schools.len() as u64 - 1) as usize;
        let step = seats_per_class(&schools[s], rules);
        let school = &mut schools[s];
        if seats < target {
            school.classes += 1;
            school.min_classes += 1;
            school.max_classes += 1;
        } else if seats - step >= target && school.min_classes > 0 {
            school.classes -= 1;
            school.min_classes -= 1;
            school.max_classes -= 1;
        } else if seats == target {
            return;
        }
    }
}

fn place_pupils(rng: &mut Rng, plan: &Plan, case: &mut Case, n_pupils: usize) {
    // Uneven towns: each town gets a random weight, so some are short of seats.
    let weights: Vec<u64> = (0..plan.towns).map(|_| rng.range(1, 4)).collect();
    let migrant_rate = rng.pick(&[0.0, 0.2, 0.35, 0.6]);
    let shared_homes = if rng.chance(0.4) { 0.25 } else { 0.0 };
    let ties = if rng.chance(0.4) { 0.25 } else { 0.0 };
    for i in 0..n_pupils {
        let town = weighted_town(rng, &weights);
        let (lat_u, lon_u) = if i > 0 && rng.chance(shared_homes) {
            case.tags.insert("duplicate homes (generated)");
            let other = &case.pupils[rng.range(0, i as u64 - 1) as usize];
            (other.lat_u, other.lon_u)
        } else if rng.chance(ties) {
            tie_point(rng, plan, case, town).unwrap_or_else(|| town_point(rng, plan, town))
        } else {
            town_point(rng, plan, town)
        };
        case.pupils.push(PupilSpec {
            id: format!("P{i}"),
            lat_u,
            lon_u,
            migrant: rng.chance(migrant_rate),
            unit: None,
            lock: None,
            sibling: None,
        });
    }
}

fn weighted_town(rng: &mut Rng, weights: &[u64]) -> usize {
    let mut r = rng.range(0, weights.iter().sum::<u64>() - 1);
    for (t, &w) in weights.iter().enumerate() {
        if r < w {
            return t;
        }
        r -= w;
    }
    unreachable!("r is below the sum of the weights")
}

/// The point halfway between two schools of the town (an exact tie when they
/// share a grid row or column), if the town has two schools.
fn tie_point(rng: &mut Rng, plan: &Plan, case: &mut Case, town: usize) -> Option<(i64, i64)> {
    let of_town: Vec<usize> = (0..case.schools.len()).filter(|&s| plan.school_towns[s] == town).collect();
    if of_town.len() < 2 {
        return None;
    }
    let a = &case.schools[rng.pick(&of_town)];
    let b = &case.schools[rng.pick(&of_town)];
    if a.id == b.id || (a.lat_u + b.lat_u) % 2 != 0 || (a.lon_u + b.lon_u) % 2 != 0 {
        return None;
    }
    let point = ((a.lat_u + b.lat_u) / 2, (a.lon_u + b.lon_u) / 2);
    case.tags.insert("pupils halfway between two schools");
    Some(point)
}

/// The town of a pupil (by longitude band).
fn town_of(plan: &Plan, lon_u: i64) -> usize {
    (((lon_u - LON0_U) + plan.town_spacing_u / 2) / plan.town_spacing_u) as usize
}

/// A school of `town` most of the time, else any school.
fn school_near(rng: &mut Rng, plan: &Plan, town: usize, p_same_town: f64) -> usize {
    let of_town: Vec<usize> = (0..plan.school_towns.len()).filter(|&s| plan.school_towns[s] == town).collect();
    if !of_town.is_empty() && rng.chance(p_same_town) {
        rng.pick(&of_town)
    } else {
        rng.range(0, plan.school_towns.len() as u64 - 1) as usize
    }
}

/// Unit ids (street sections) for most pupils of some cases, whether or not
/// `assign = "units"`: with `assign = "pupils"` they must make no difference.
fn add_units(rng: &mut Rng, plan: &Plan, case: &mut Case) {
    if !(case.rules.units || rng.chance(0.1)) {
        return;
    }
    // About three pupils per unit, at least two units per town.
    let per_town = (case.pupils.len() as u64 / 3).max(2);
    for p in 0..case.pupils.len() {
        if rng.chance(0.75) {
            let town = town_of(plan, case.pupils[p].lon_u);
            case.pupils[p].unit = Some(format!("U{town}_{}", rng.range(0, per_town - 1)));
        }
    }
}

/// Locks for some pupils; with units, a unit's locked pupils share the first lock.
fn add_locks(rng: &mut Rng, plan: &Plan, case: &mut Case) {
    if !rng.chance(0.3) {
        return;
    }
    for p in 0..case.pupils.len() {
        if rng.chance(0.1) {
            let town = town_of(plan, case.pupils[p].lon_u);
            case.pupils[p].lock = Some(school_near(rng, plan, town, 0.7));
        }
    }
    if case.rules.units {
        for p in 0..case.pupils.len() {
            if let (Some(unit), Some(lock)) = (case.pupils[p].unit.clone(), case.pupils[p].lock) {
                for q in &mut case.pupils[p + 1..] {
                    if q.unit.as_ref() == Some(&unit) && q.lock.is_some() {
                        q.lock = Some(lock);
                    }
                }
            }
        }
    }
}

fn add_siblings(rng: &mut Rng, plan: &Plan, case: &mut Case) {
    if !rng.chance(0.35) {
        return;
    }
    for p in 0..case.pupils.len() {
        if rng.chance(0.25) {
            let town = town_of(plan, case.pupils[p].lon_u);
            case.pupils[p].sibling = Some(school_near(rng, plan, town, 0.9));
        }
    }
}

/// Last year's assignment by pupil (or by unit), with ids of pupils gone
/// since, and sometimes a cap on moves.
fn add_baseline(rng: &mut Rng, plan: &Plan, case: &mut Case) {
    if !rng.chance(0.4) {
        return;
    }
    let units: BTreeSet<String> = case.pupils.iter().filter_map(|p| p.unit.clone()).collect();
    let by_unit = case.rules.units && !units.is_empty() && rng.chance(0.5);
    let mut rows = Vec::new();
    if by_unit {
        for unit in &units {
            let first = case
                .pupils
                .iter()
                .find(|p| p.unit.as_ref() == Some(unit))
                .expect("a unit has a pupil");
            let town = town_of(plan, first.lon_u);
            rows.push((unit.clone(), school_near(rng, plan, town, 0.9)));
        }
    } else {
        for p in 0..case.pupils.len() {
            if rng.chance(0.85) {
                let town = town_of(plan, case.pupils[p].lon_u);
                rows.push((case.pupils[p].id.clone(), school_near(rng, plan, town, 0.9)));
            }
        }
    }
    if rng.chance(0.5) {
        rows.push((if by_unit { "U_gone" } else { "P_gone" }.to_string(), 0));
    }
    if rng.chance(0.4) {
        case.rules.max_moves = Some(rng.range(0, case.pupils.len() as u64) as u32);
    }
    case.baseline = Some(Baseline { by_unit, rows });
}
