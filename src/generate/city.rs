//! The generator engine: quarters in, schools and pupils out.

use super::GenerateOptions;
use super::addresses::{StreetNames, house_number, plot};
use rand::distr::weighted::WeightedIndex;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use serde::Serialize;

/// Metres per degree of latitude on the sphere used for distances.
const METRES_PER_DEGREE: f64 = 111_195.08;
/// Edge of a street section cell, in metres.
const UNIT_CELL_M: f64 = 150.0;
/// Addresses per expected pupil in a quarter's address pool.
const ADDRESSES_PER_PUPIL: f64 = 0.7;

/// A quarter of a synthetic city with its school.
#[derive(Debug, Clone, PartialEq)]
pub struct Quarter {
    /// Name of the quarter's school.
    pub school_name: String,
    /// Name of the quarter.
    pub quarter_name: String,
    /// Centre latitude.
    pub lat: f64,
    /// Centre longitude.
    pub lon: f64,
    /// Relative population of school starters.
    pub weight: f64,
    /// Share of pupils with migration background.
    pub migration_rate: f64,
    /// Standard deviation of homes around the centre, in metres.
    pub spread_m: f64,
    /// The town the quarter belongs to (0 for a single city).
    pub town: usize,
}

/// A row of the generated `schools.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolRecord {
    /// `school_id`.
    pub school_id: String,
    /// `name`.
    pub name: String,
    /// `lat`.
    pub lat: String,
    /// `lon`.
    pub lon: String,
    /// `classes`.
    pub classes: u32,
    /// `prev_migration_share`.
    pub prev_migration_share: String,
    /// `min_classes`.
    pub min_classes: u32,
    /// `max_classes`.
    pub max_classes: u32,
    /// `reserved_seats`.
    pub reserved_seats: u32,
}

/// A row of the generated `pupils.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PupilRecord {
    /// `pupil_id`.
    pub pupil_id: String,
    /// `lat`.
    pub lat: String,
    /// `lon`.
    pub lon: String,
    /// `migration_background` (0 or 1).
    pub migration_background: u8,
    /// `unit_id`: the street section.
    pub unit_id: String,
    /// `fixed_school` (empty).
    pub fixed_school: String,
    /// `street` (see [`super::addresses`]).
    pub street: String,
    /// `house_number`.
    pub house_number: u32,
    /// The home's frontage along its street (not written; numbers it).
    #[serde(skip)]
    pub plot: i64,
    /// Whether the home lies in the northern half of its row (odd numbers).
    #[serde(skip)]
    pub north_half: bool,
}

/// Numbers each pupil's home along its street from the street's first plot
/// (see [`super::addresses`]).
fn number_houses(mut pupils: Vec<PupilRecord>) -> Vec<PupilRecord> {
    let mut first_plot: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    for p in &pupils {
        let first = first_plot.entry(p.street.clone()).or_insert(p.plot);
        *first = (*first).min(p.plot);
    }
    for p in &mut pupils {
        let fraction = if p.north_half { 1.0 } else { 0.0 };
        p.house_number = house_number(p.plot, first_plot[&p.street], fraction);
    }
    pupils
}

/// A generated city.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedCity {
    /// Schools.
    pub schools: Vec<SchoolRecord>,
    /// Pupils.
    pub pupils: Vec<PupilRecord>,
}

/// Generates `cohort` pupils over `quarters` (one school per quarter).
pub fn generate_city(quarters: &[Quarter], cohort: usize, options: &GenerateOptions, rng: &mut ChaCha8Rng) -> GeneratedCity {
    let (quarters_drawn, planned_demand) = imbalanced_plan(quarters, cohort, options);
    let quarters = &quarters_drawn[..];
    let total_weight: f64 = quarters.iter().map(|q| q.weight).sum();
    let expected: Vec<f64> = quarters.iter().map(|q| cohort as f64 * q.weight / total_weight).collect();
    let shares: Vec<f64> = quarters.iter().map(|q| previous_share(q, options, rng)).collect();
    let rules = options.rules();
    let sizes: Vec<u32> = shares.iter().map(|&s| rules.class_size_for(s)).collect();
    let width = quarters.len().to_string().len().max(2);
    let school_ids: Vec<String> = (0..quarters.len()).map(|i| format!("GS{:0width$}", i + 1)).collect();
    let pools: Vec<Vec<(f64, f64)>> = quarters.iter().zip(&expected).map(|(q, &e)| address_pool(q, e, rng)).collect();
    let pick_quarter = WeightedIndex::new(quarters.iter().map(|q| q.weight)).expect("positive weights");
    let digits = cohort.to_string().len().max(5);
    let mut streets = StreetNames::default();
    let pupils = (0..cohort)
        .map(|i| {
            let q = pick_quarter.sample(rng);
            let pool = &pools[q];
            let (dx, dy) = pool[rng.random_range(0..pool.len())];
            let quarter = &quarters[q];
            let lat = quarter.lat + dy / METRES_PER_DEGREE;
            let lon = quarter.lon + dx / (METRES_PER_DEGREE * quarter.lat.to_radians().cos());
            PupilRecord {
                pupil_id: format!("P{:0digits$}", i + 1),
                lat: format!("{lat:.6}"),
                lon: format!("{lon:.6}"),
                migration_background: rng.random_bool(quarter.migration_rate.clamp(0.0, 1.0)) as u8,
                unit_id: format!(
                    "{}-{}-{}",
                    school_ids[q],
                    (dx / UNIT_CELL_M).floor() as i64 + 100,
                    (dy / UNIT_CELL_M).floor() as i64 + 100
                ),
                fixed_school: String::new(),
                street: streets.name(q, (dy / UNIT_CELL_M).floor() as i64),
                house_number: 0, // numbered from each street's first plot below
                plot: plot(dx),
                north_half: (dy / UNIT_CELL_M).rem_euclid(1.0) >= 0.5,
            }
        })
        .collect();
    let pupils = number_houses(pupils);
    // Classes are planned from the forecast, before the cohort is known.
    let classes = plan_classes(quarters, planned_demand.as_deref().unwrap_or(&expected), &sizes, cohort, options);
    let schools = quarters
        .iter()
        .enumerate()
        .map(|(i, q)| SchoolRecord {
            school_id: school_ids[i].clone(),
            name: q.school_name.clone(),
            lat: format!("{:.6}", q.lat),
            lon: format!("{:.6}", q.lon),
            classes: classes[i],
            prev_migration_share: format!("{:.3}", shares[i]),
            min_classes: classes[i],
            max_classes: classes[i],
            reserved_seats: 0,
        })
        .collect();
    GeneratedCity { schools, pupils }
}

/// Share of quarters that become new housing at imbalance 1.
const NEW_HOUSING_SHARE: f64 = 0.15;
/// How many times its planned children a new-housing quarter has at imbalance 1.
const NEW_HOUSING_GROWTH: f64 = 3.0;

/// The quarters children are drawn from, and the demand classes are planned
/// for (`None`: the quarters' own forecast, imbalance 0).
///
/// At imbalance `x`, the planned demand of a school is `(1 - x)` times its
/// quarter's forecast plus `x` times the forecast of the quarter of opposite
/// rank (the largest quarter is planned like the smallest and the other way
/// round: seats planned without regard to where the children live); and
/// every `1 / (x NEW_HOUSING_SHARE)`-th quarter (a fixed stride, no random
/// draw) is new housing: its weight for drawing children grows by the factor
/// `1 + x (NEW_HOUSING_GROWTH - 1)` while its seats are planned as before.
/// Imbalance 0 leaves the city exactly as it was.
pub fn imbalanced_plan(quarters: &[Quarter], cohort: usize, options: &GenerateOptions) -> (Vec<Quarter>, Option<Vec<f64>>) {
    let x = options.imbalance;
    if x <= 0.0 {
        return (quarters.to_vec(), None);
    }
    let total: f64 = quarters.iter().map(|q| q.weight).sum();
    let forecast: Vec<f64> = quarters.iter().map(|q| cohort as f64 * q.weight / total).collect();
    let mut by_size: Vec<usize> = (0..quarters.len()).collect();
    by_size.sort_by(|&a, &b| forecast[a].total_cmp(&forecast[b]).then(a.cmp(&b)));
    let mut opposite = vec![0; quarters.len()];
    for (rank, &q) in by_size.iter().enumerate() {
        opposite[q] = by_size[by_size.len() - 1 - rank];
    }
    let planned = (0..quarters.len())
        .map(|i| (1.0 - x) * forecast[i] + x * forecast[opposite[i]])
        .collect();
    let stride = (1.0 / (x * NEW_HOUSING_SHARE)).round().max(1.0) as usize;
    let drawn = quarters
        .iter()
        .enumerate()
        .map(|(i, q)| Quarter {
            weight: if i % stride == stride / 2 {
                q.weight * (1.0 + x * (NEW_HOUSING_GROWTH - 1.0))
            } else {
                q.weight
            },
            ..q.clone()
        })
        .collect();
    (drawn, Some(planned))
}

/// Last year's migration share of a quarter's school: the quarter's rate with
/// noise, kept on the same side of the threshold as the rate.
fn previous_share(q: &Quarter, options: &GenerateOptions, rng: &mut ChaCha8Rng) -> f64 {
    let noisy = q.migration_rate + rng.random_range(-0.03..0.03);
    let t = options.migration_threshold;
    let kept = if q.migration_rate > t {
        noisy.max(t + 0.01)
    } else {
        noisy.min(t - 0.005)
    };
    kept.clamp(0.0, 1.0)
}

/// Classes per school, planned as a school office would, from the forecast
/// (`demand`: expected starters per quarter): each school its forecast with
/// a 5% margin; every town at least its forecast (the actual cohort may
/// still exceed it, as forecasts do, and then pupils travel to the next
/// town); then classes are added where the forecast most exceeds the seats,
/// or removed where the seats most exceed it (never below a town's need),
/// towards the middle of the seat margin over the whole region.
fn plan_classes(quarters: &[Quarter], demand: &[f64], sizes: &[u32], cohort: usize, options: &GenerateOptions) -> Vec<u32> {
    let max = options.max_classes.max(1);
    let n = demand.len();
    let mut classes: Vec<u32> = (0..n)
        .map(|i| ((demand[i] * 1.05 / sizes[i] as f64).round() as u32).clamp(1, max))
        .collect();
    let towns = quarters.iter().map(|q| q.town).max().map_or(0, |t| t + 1);
    let mut town_need = vec![0.0; towns];
    let mut town_seats = vec![0.0; towns];
    for i in 0..n {
        town_need[quarters[i].town] += demand[i];
        town_seats[quarters[i].town] += (classes[i] * sizes[i]) as f64;
    }
    let gap = |classes: &[u32], i: usize| demand[i] - (classes[i] * sizes[i]) as f64;
    let most_short = |classes: &[u32], candidates: &mut dyn Iterator<Item = usize>| {
        candidates.max_by(|&a, &b| gap(classes, a).total_cmp(&gap(classes, b)).then(b.cmp(&a)))
    };
    for t in 0..towns {
        while town_seats[t] < town_need[t] {
            let Some(i) = most_short(&classes, &mut (0..n).filter(|&i| quarters[i].town == t && classes[i] < max)) else {
                break;
            };
            classes[i] += 1;
            town_seats[t] += sizes[i] as f64;
        }
    }
    let (low, high) = (options.seat_margin.0 * cohort as f64, options.seat_margin.1 * cohort as f64);
    let aim = (low + high) / 2.0;
    for _ in 0..10 * n {
        let total: f64 = town_seats.iter().sum();
        if total < aim {
            let Some(i) = most_short(&classes, &mut (0..n).filter(|&i| classes[i] < max)) else {
                break;
            };
            classes[i] += 1;
            town_seats[quarters[i].town] += sizes[i] as f64;
        } else if total > high {
            let removable = |i: usize| classes[i] > 1 && town_seats[quarters[i].town] - sizes[i] as f64 >= town_need[quarters[i].town];
            let best = (0..n)
                .filter(|&i| removable(i))
                .max_by(|&a, &b| (-gap(&classes, a)).total_cmp(&-gap(&classes, b)).then(b.cmp(&a)));
            let Some(i) = best else { break };
            classes[i] -= 1;
            town_seats[quarters[i].town] -= sizes[i] as f64;
        } else {
            break;
        }
    }
    classes
}

/// Address offsets (metres east, north of the centre) of a quarter's homes.
fn address_pool(q: &Quarter, expected: f64, rng: &mut ChaCha8Rng) -> Vec<(f64, f64)> {
    let n = ((expected * ADDRESSES_PER_PUPIL).ceil() as usize).max(3);
    let normal = Normal::new(0.0, q.spread_m).expect("positive spread");
    (0..n).map(|_| (normal.sample(rng), normal.sample(rng))).collect()
}

/// A seeded random generator (ChaCha8: stable output across platforms and versions).
pub fn seeded(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}
