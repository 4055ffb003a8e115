//! The presets: a named Magdeburg-like city, single large cities, and
//! regions of many towns far apart.

use super::city::{GeneratedCity, Quarter, generate_city, seeded};
use super::{GenerateError, GenerateOptions, magdeburg};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A preset city or region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Preset {
    /// About 2,200 pupils, 33 named schools.
    Magdeburg,
    /// About 5,500 pupils, 80 schools, one city.
    Leipzig,
    /// About 35,000 pupils, 430 schools, one city.
    Berlin,
    /// About 17,000 pupils, 500 schools in 200 towns far apart.
    SaxonyAnhalt,
    /// About 750,000 pupils, 15,000 schools in many towns.
    Germany,
}

/// Size of a preset.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PresetSpec {
    /// School starters.
    pub pupils: usize,
    /// Schools.
    pub schools: usize,
    /// Towns (1 for a city).
    pub towns: usize,
    /// Centre (lat, lon).
    pub centre: (f64, f64),
    /// Half-width of the region the towns lie in, in km.
    pub region_km: f64,
}

impl Preset {
    /// The preset's default size.
    pub fn spec(self) -> PresetSpec {
        match self {
            Preset::Magdeburg => PresetSpec {
                pupils: 2_200,
                schools: 33,
                towns: 1,
                centre: (52.13, 11.62),
                region_km: 0.0,
            },
            Preset::Leipzig => PresetSpec {
                pupils: 5_500,
                schools: 80,
                towns: 1,
                centre: (51.34, 12.37),
                region_km: 0.0,
            },
            Preset::Berlin => PresetSpec {
                pupils: 35_000,
                schools: 430,
                towns: 1,
                centre: (52.52, 13.40),
                region_km: 0.0,
            },
            Preset::SaxonyAnhalt => PresetSpec {
                pupils: 17_000,
                schools: 500,
                towns: 200,
                centre: (51.95, 11.70),
                region_km: 90.0,
            },
            Preset::Germany => PresetSpec {
                pupils: 750_000,
                schools: 15_000,
                towns: 3_000,
                centre: (51.16, 10.45),
                region_km: 330.0,
            },
        }
    }

    /// Generates the preset's city for the options (seed and size overrides),
    /// after [`GenerateOptions::check`].
    pub fn generate(self, options: &GenerateOptions) -> Result<GeneratedCity, GenerateError> {
        options.check(self)?;
        let spec = self.spec();
        let mut rng = seeded(options.seed);
        let cohort = options.pupils.unwrap_or(spec.pupils);
        let mut options = options.clone();
        let quarters = match self {
            Preset::Magdeburg => {
                options.max_classes = options.max_classes.min(4);
                magdeburg::quarters()
            }
            _ => random_quarters(&spec, options.schools.unwrap_or(spec.schools), &mut rng),
        };
        Ok(generate_city(&quarters, cohort, &options, &mut rng))
    }
}

/// Quarters of random towns: town sizes are skewed (few large, many small),
/// each town a disc of quarters around its centre, towns spread over the region.
fn random_quarters(spec: &PresetSpec, schools: usize, rng: &mut ChaCha8Rng) -> Vec<Quarter> {
    let towns = spec.towns.clamp(1, schools.max(1));
    let sizes: Vec<f64> = (0..towns).map(|_| 1.0 / (1.0 - rng.random::<f64>() * 0.95).powf(1.2)).collect();
    let total: f64 = sizes.iter().sum();
    // Schools per town: at least one, in proportion to size, remainder to the largest.
    let mut per_town: Vec<usize> = sizes
        .iter()
        .map(|s| ((s / total) * schools as f64).floor().max(1.0) as usize)
        .collect();
    while per_town.iter().sum::<usize>() > schools {
        let i = (0..towns).max_by_key(|&i| (per_town[i], usize::MAX - i)).expect("towns");
        per_town[i] -= 1;
    }
    while per_town.iter().sum::<usize>() < schools {
        let i = (0..towns).max_by(|&a, &b| sizes[a].total_cmp(&sizes[b])).expect("towns");
        per_town[i] += 1;
    }
    let mut quarters = Vec::with_capacity(schools);
    for (t, &n) in per_town.iter().enumerate() {
        let (lat, lon) = if towns == 1 {
            spec.centre
        } else {
            let dy = rng.random_range(-spec.region_km..spec.region_km) * 1000.0;
            let dx = rng.random_range(-spec.region_km..spec.region_km) * 1000.0;
            offset(spec.centre, dx, dy)
        };
        let radius_m = 900.0 * (n as f64).sqrt();
        for q in 0..n {
            let r = radius_m * rng.random::<f64>().sqrt();
            let angle = rng.random_range(0.0..std::f64::consts::TAU);
            let (qlat, qlon) = if n == 1 {
                (lat, lon)
            } else {
                offset((lat, lon), r * angle.cos(), r * angle.sin())
            };
            let high = rng.random_bool(0.22);
            quarters.push(Quarter {
                school_name: format!("GS Town {} Quarter {}", t + 1, q + 1),
                quarter_name: format!("Town {} Quarter {}", t + 1, q + 1),
                lat: qlat,
                lon: qlon,
                weight: rng.random_range(0.5..1.5),
                migration_rate: if high {
                    rng.random_range(0.28..0.45)
                } else {
                    rng.random_range(0.03..0.18)
                },
                spread_m: rng.random_range(400.0..800.0),
                town: t,
            });
        }
    }
    quarters
}

fn offset((lat, lon): (f64, f64), dx_m: f64, dy_m: f64) -> (f64, f64) {
    let per_degree = 111_195.08;
    (lat + dy_m / per_degree, lon + dx_m / (per_degree * lat.to_radians().cos()))
}
