//! The side-by-side comparison of scenarios: one row of figures per
//! scenario, rendered as a text table for the terminal (figures down,
//! scenarios across), as Markdown (`compare.md`) and as CSV (`compare.csv`,
//! one line per scenario), and the per-school differences between two
//! scenarios (`diff.csv`).

use super::publish::{Cell, Mask, column};
use super::{DistanceStats, SchoolRow, WithheldWays};
use crate::model::Instance;
use serde::Serialize;

/// The figures of one scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonRow {
    /// Short label (the scenario file's stem), the column header.
    pub label: String,
    /// Scenario name.
    pub scenario: String,
    /// Scenario file as given.
    pub file: String,
    /// `optimal`, `time_limit`, `infeasible` or `district_plan`.
    pub status: String,
    /// School starters.
    pub pupils: usize,
    /// Way-to-school figures (absent without an assignment).
    pub distances: Option<DistanceStats>,
    /// The acceptable way in force, metres.
    pub acceptable_way_m: f64,
    /// Schools under the reduced class size.
    pub schools_reduced: Option<usize>,
    /// Classes opened.
    pub classes_opened: Option<u32>,
    /// Pupils placed at a school (all pupils, unless a district plan leaves some out).
    pub placed: Option<u32>,
    /// Lowest utilisation among schools with seats: (share, school id).
    pub utilisation_min: Option<(f64, String)>,
    /// Highest utilisation among schools with seats: (share, school id).
    pub utilisation_max: Option<(f64, String)>,
    /// Pupils at another school than in the baseline (when there is one).
    pub moved_against_baseline: Option<usize>,
    /// Rule violations found by the independent checker.
    pub violations: usize,
    /// Segregation figures of the assignment (absent without one).
    pub segregation: Option<super::Segregation>,
    /// Set for publication (`compare --publish`): counts below it withheld.
    pub mask: Option<Mask>,
    /// When publishing: the lowest and highest utilisation withheld (the
    /// school has fewer pupils than the mask).
    pub utilisation_withheld: (bool, bool),
    /// With `contiguous = true`: the price of contiguity.
    pub contiguity: Option<super::ContiguityPrice>,
    /// The distance metric of every way (`haversine`, `walking`, `matrix`).
    pub metric: crate::model::Metric,
    /// The compactness of the districts drawn from the assignment (see
    /// [`super::CompactnessSummary`]; absent without an assignment).
    pub compactness: Option<super::CompactnessSummary>,
}

/// Utilisation of a school: (pupils + reserved seats) / seats.
fn utilisation(row: &SchoolRow) -> Option<f64> {
    (row.capacity > 0).then(|| (row.assigned + row.reserved_seats) as f64 / row.capacity as f64)
}

impl ComparisonRow {
    /// The figures of an evaluated scenario.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        label: &str,
        file: &str,
        instance: &Instance,
        status: &str,
        rows: Option<&[SchoolRow]>,
        distances: Option<&DistanceStats>,
        moved_against_baseline: Option<usize>,
        violations: usize,
    ) -> Self {
        let utilisations: Vec<(f64, String)> = rows
            .unwrap_or_default()
            .iter()
            .filter_map(|r| utilisation(r).map(|u| (u, r.school_id.clone())))
            .collect();
        // Lowest and highest; equal shares to the first school in file order.
        let pick = |better: fn(f64, f64) -> bool| {
            utilisations.iter().fold(None, |best: Option<&(f64, String)>, u| match best {
                Some(b) if !better(u.0, b.0) => Some(b),
                _ => Some(u),
            })
        };
        Self {
            label: label.to_string(),
            scenario: instance.name.clone(),
            file: file.to_string(),
            status: status.to_string(),
            pupils: instance.pupils.len(),
            distances: distances.cloned(),
            acceptable_way_m: instance.rules.acceptable_way_m,
            schools_reduced: rows.map(|r| r.iter().filter(|s| s.reduced == 1).count()),
            classes_opened: rows.map(|r| r.iter().map(|s| s.classes).sum()),
            placed: rows.map(|r| r.iter().map(|s| s.assigned).sum()),
            utilisation_min: pick(|a, b| a < b).cloned(),
            utilisation_max: pick(|a, b| a > b).cloned(),
            moved_against_baseline,
            violations,
            segregation: rows.map(|r| super::segregation(r, instance.rules.migration_threshold)),
            mask: None,
            utilisation_withheld: (false, false),
            contiguity: None,
            metric: instance.ways.metric,
            compactness: None,
        }
    }

    /// The row with the price of contiguity of its scenario (see [`super::ContiguityPrice`]).
    pub fn with_contiguity(mut self, price: Option<super::ContiguityPrice>) -> Self {
        self.contiguity = price;
        self
    }

    /// The row with the compactness of its drawn districts.
    pub fn with_compactness(mut self, compactness: Option<super::CompactnessSummary>) -> Self {
        self.compactness = compactness;
        self
    }

    /// The price of contiguity as shown, unless the total way is withheld
    /// for publication (the two totals behind it are sums of ways).
    fn contiguity_shown(&self) -> Option<&super::ContiguityPrice> {
        self.contiguity.as_ref().filter(|_| !self.ways_withheld().total_and_mean)
    }

    /// The row for publication: counts below `mask` withheld, and every
    /// figure that would give one away (pupils placed when the pupils left
    /// out are few, pupils per class with them, a utilisation of a school
    /// with few pupils or whose pupils `withheld_schools` (by id: withheld in
    /// `diff.csv`) says are withheld — seats times utilisation would give
    /// them back —, the longest way, which is one pupil's).
    pub fn published(mut self, mask: Mask, rows: Option<&[SchoolRow]>, withheld_schools: &[String]) -> Self {
        let few = |school: &Option<(f64, String)>| {
            school.as_ref().is_some_and(|(_, id)| {
                withheld_schools.contains(id)
                    || rows
                        .unwrap_or_default()
                        .iter()
                        .any(|r| &r.school_id == id && mask.hides(u64::from(r.assigned)))
            })
        };
        self.utilisation_withheld = (few(&self.utilisation_min), few(&self.utilisation_max));
        self.mask = Some(mask);
        self
    }

    /// A count as shown: withheld (`<5`) when publishing and small.
    fn count(&self, n: usize) -> String {
        match self.mask {
            Some(mask) => mask.text(n as u64),
            None => n.to_string(),
        }
    }

    /// Whether pupils placed (and pupils per class) are withheld.
    fn placed_withheld(&self) -> bool {
        match (self.mask, self.placed) {
            (Some(mask), Some(placed)) => {
                mask.hides(u64::from(placed)) || mask.hides((self.pupils as u64).saturating_sub(u64::from(placed)))
            }
            _ => false,
        }
    }

    /// Which way figures publication withholds (nothing when not publishing).
    fn ways_withheld(&self) -> WithheldWays {
        match (self.mask, &self.distances) {
            (Some(mask), Some(d)) => d.withheld_by(&mask),
            _ => WithheldWays {
                total_and_mean: false,
                percentile: false,
                longest: false,
            },
        }
    }

    /// A figure withheld when publishing: `masked`.
    /// A segregation index or share (4 decimals), `masked` when publishing:
    /// with the schools' pupil counts it could give back small counts of
    /// pupils with migration background.
    fn index_text(&self, value: f64) -> String {
        self.unless_withheld(self.mask.is_some(), || format!("{value:.4}"))
    }

    fn unless_withheld(&self, withheld: bool, shown: impl FnOnce() -> String) -> String {
        if withheld { "masked".to_string() } else { shown() }
    }

    /// A `compare.csv` cell of the price of contiguity: empty when the
    /// scenario is not contiguous, `masked` when the total way is withheld.
    fn contiguity_cell(&self, shown: impl Fn(&super::ContiguityPrice) -> String) -> String {
        match (&self.contiguity, self.contiguity_shown()) {
            (None, _) => String::new(),
            (Some(_), None) => "masked".into(),
            (Some(_), Some(c)) => shown(c),
        }
    }

    fn pupils_per_class(&self) -> Option<f64> {
        if self.placed_withheld() {
            return None;
        }
        match (self.placed, self.classes_opened) {
            (Some(p), Some(c)) if c > 0 => Some(p as f64 / c as f64),
            _ => None,
        }
    }
}

/// `-` for a missing figure.
fn or_dash<T>(value: Option<T>, show: impl Fn(T) -> String) -> String {
    value.map(show).unwrap_or_else(|| "-".into())
}

fn percent_at((share, school): &(f64, String)) -> String {
    format!("{:.0}% {school}", share * 100.0)
}

/// The figures as (label, one cell per scenario), in table order (as the
/// text table, `compare.md` and `compare.html` show them).
pub fn comparison_figures(rows: &[ComparisonRow]) -> Vec<(String, Vec<String>)> {
    figures(rows)
}

fn figures(rows: &[ComparisonRow]) -> Vec<(String, Vec<String>)> {
    let same_acceptable = rows.windows(2).all(|w| w[0].acceptable_way_m == w[1].acceptable_way_m);
    let over_label = match rows.first() {
        Some(r) if same_acceptable => format!("pupils over {:.1} km", r.acceptable_way_m / 1000.0),
        _ => "pupils over the acceptable way".to_string(),
    };
    let column = |f: &dyn Fn(&ComparisonRow) -> String| rows.iter().map(f).collect::<Vec<_>>();
    let mut table = vec![("status".into(), column(&|r| r.status.clone()))];
    // The metric is named where a scenario measures other than in straight lines.
    if rows.iter().any(|r| r.metric != crate::model::Metric::Haversine) {
        table.push(("distance metric".into(), column(&|r| r.metric.name().to_string())));
    }
    table.extend([
        ("pupils".into(), column(&|r| r.count(r.pupils))),
        (
            "total way (km)".into(),
            column(&|r| {
                or_dash(r.distances.as_ref(), |d| {
                    r.unless_withheld(r.ways_withheld().total_and_mean, || match d.pupils < r.pupils {
                        true => format!("{:.1} (partial)", d.total_m / 1000.0),
                        false => format!("{:.1}", d.total_m / 1000.0),
                    })
                })
            }),
        ),
        (
            "mean way (m)".into(),
            column(&|r| {
                or_dash(r.distances.as_ref(), |d| {
                    r.unless_withheld(r.ways_withheld().total_and_mean, || format!("{:.0}", d.mean_m))
                })
            }),
        ),
        (
            "95th percentile way (m)".into(),
            column(&|r| {
                or_dash(r.distances.as_ref(), |d| {
                    r.unless_withheld(r.ways_withheld().percentile, || format!("{:.0}", d.p95_m))
                })
            }),
        ),
        (
            "longest way (m)".into(),
            column(&|r| {
                or_dash(r.distances.as_ref(), |d| {
                    r.unless_withheld(r.ways_withheld().longest, || format!("{:.0}", d.max_m))
                })
            }),
        ),
        (
            over_label,
            column(&|r| {
                or_dash(r.distances.as_ref(), |d| {
                    if same_acceptable {
                        r.count(d.over_acceptable)
                    } else {
                        format!("{} (>{:.1} km)", r.count(d.over_acceptable), r.acceptable_way_m / 1000.0)
                    }
                })
            }),
        ),
        (
            "schools at reduced class size".into(),
            column(&|r| or_dash(r.schools_reduced, |n| n.to_string())),
        ),
        ("classes opened".into(), column(&|r| or_dash(r.classes_opened, |n| n.to_string()))),
        (
            "pupils per class".into(),
            column(&|r| r.unless_withheld(r.placed_withheld(), || or_dash(r.pupils_per_class(), |p| format!("{p:.1}")))),
        ),
        (
            "lowest utilisation".into(),
            column(&|r| r.unless_withheld(r.utilisation_withheld.0, || or_dash(r.utilisation_min.as_ref(), percent_at))),
        ),
        (
            "highest utilisation".into(),
            column(&|r| r.unless_withheld(r.utilisation_withheld.1, || or_dash(r.utilisation_max.as_ref(), percent_at))),
        ),
        (
            "dissimilarity D".into(),
            column(&|r| or_dash(r.segregation.as_ref().and_then(|g| g.dissimilarity), |d| r.index_text(d))),
        ),
        (
            "isolation".into(),
            column(&|r| or_dash(r.segregation.as_ref().and_then(|g| g.isolation), |d| r.index_text(d))),
        ),
        (
            "largest share deviation".into(),
            column(&|r| or_dash(r.segregation.as_ref(), |g| r.index_text(g.max_share_deviation))),
        ),
        (
            "schools above threshold".into(),
            column(&|r| or_dash(r.segregation.as_ref(), |g| g.schools_above_threshold.to_string())),
        ),
        (
            "moved against baseline".into(),
            column(&|r| or_dash(r.moved_against_baseline, |n| r.count(n))),
        ),
        ("rule violations".into(), column(&|r| r.count(r.violations))),
    ]);
    if rows.iter().any(|r| r.contiguity.is_some()) {
        table.push((
            "price of contiguity (km)".into(),
            column(&|r| {
                r.unless_withheld(r.contiguity.is_some() && r.contiguity_shown().is_none(), || {
                    or_dash(r.contiguity.as_ref(), |c| {
                        format!("+{:.1} (+{:.2}%)", c.price_m / 1000.0, c.price_pct)
                    })
                })
            }),
        ));
    }
    if rows.iter().any(|r| r.compactness.is_some()) {
        table.push((
            "Polsby-Popper mean, lowest".into(),
            column(&|r| {
                or_dash(r.compactness.as_ref(), |c| {
                    format!(
                        "{:.2}, {:.2} {}",
                        c.polsby_popper_mean, c.polsby_popper_min, c.polsby_popper_min_school
                    )
                })
            }),
        ));
        table.push((
            "convex hull ratio mean, lowest".into(),
            column(&|r| {
                or_dash(r.compactness.as_ref(), |c| {
                    format!(
                        "{:.2}, {:.2} {}",
                        c.convex_hull_ratio_mean, c.convex_hull_ratio_min, c.convex_hull_ratio_min_school
                    )
                })
            }),
        ));
    }
    table
}

/// The table for the terminal: figures down, one column per scenario, then
/// a legend of labels, names and files.
pub fn comparison_text(rows: &[ComparisonRow]) -> String {
    let table = figures(rows);
    let first = table.iter().map(|(l, _)| l.chars().count()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..rows.len())
        .map(|i| {
            table
                .iter()
                .map(|(_, c)| c[i].chars().count())
                .chain([rows[i].label.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let mut line = |label: &str, cells: Vec<&str>| {
        let mut text = format!("{label:<first$}");
        for (cell, w) in cells.iter().zip(&widths) {
            text.push_str(&format!("  {cell:>w$}"));
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line("", rows.iter().map(|r| r.label.as_str()).collect());
    for (label, cells) in &table {
        line(label, cells.iter().map(String::as_str).collect());
    }
    out.push('\n');
    let lw = rows.iter().map(|r| r.label.chars().count()).max().unwrap_or(0);
    for r in rows {
        out.push_str(&format!("{:<lw$}  {} ({})\n", r.label, r.scenario, r.file));
    }
    out
}

/// `compare.md`: the same table in Markdown, with the legend.
pub fn comparison_markdown(rows: &[ComparisonRow]) -> String {
    let escape = |s: &str| s.replace('|', "\\|");
    let mut md = String::from("# Scenario comparison\n\n");
    md.push_str(&format!(
        "| figure | {} |\n",
        rows.iter().map(|r| escape(&r.label)).collect::<Vec<_>>().join(" | ")
    ));
    md.push_str(&format!("|---|{}\n", "---:|".repeat(rows.len())));
    for (label, cells) in figures(rows) {
        md.push_str(&format!(
            "| {} | {} |\n",
            escape(&label),
            cells.iter().map(|c| escape(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    md.push_str("\n| label | scenario | file |\n|---|---|---|\n");
    for r in rows {
        md.push_str(&format!("| {} | {} | `{}` |\n", escape(&r.label), escape(&r.scenario), r.file));
    }
    md.push_str(
        "\nUtilisation: (pupils + reserved seats) / seats, over schools with seats. \"-\": no figure (no assignment, or no baseline).\n",
    );
    md
}

/// One line of `compare.csv`.
#[derive(Debug, Clone, Serialize)]
pub struct ComparisonCsvLine {
    /// Column header label.
    pub label: String,
    /// Scenario name.
    pub scenario: String,
    /// Scenario file.
    pub file: String,
    /// Status.
    pub status: String,
    /// Pupils.
    pub pupils: String,
    /// Pupils placed at a school.
    pub placed: String,
    /// Total way, km (2 decimals).
    pub total_way_km: String,
    /// Mean way, m (1 decimal).
    pub mean_way_m: String,
    /// 95th percentile way, m (1 decimal).
    pub p95_way_m: String,
    /// Longest way, m (1 decimal).
    pub max_way_m: String,
    /// Acceptable way, m.
    pub acceptable_way_m: String,
    /// Pupils over the acceptable way.
    pub over_acceptable: String,
    /// Schools at the reduced class size.
    pub schools_reduced: String,
    /// Classes opened.
    pub classes_opened: String,
    /// Pupils per class (2 decimals).
    pub pupils_per_class: String,
    /// Lowest utilisation (4 decimals) ...
    pub utilisation_min: String,
    /// ... at this school.
    pub utilisation_min_school: String,
    /// Highest utilisation (4 decimals) ...
    pub utilisation_max: String,
    /// ... at this school.
    pub utilisation_max_school: String,
    /// Pupils moved against the baseline (empty without one).
    pub moved_against_baseline: String,
    /// Rule violations.
    pub violations: String,
    /// Dissimilarity index D (4 decimals; empty when not defined; the
    /// indices are `masked` when publishing).
    pub dissimilarity: String,
    /// Isolation index (4 decimals).
    pub isolation: String,
    /// Exposure index (4 decimals).
    pub exposure: String,
    /// Largest deviation of a school's share from the city's (4 decimals).
    pub max_share_deviation: String,
    /// Schools whose intake share is above the migration threshold.
    pub schools_above_threshold: String,
    /// The distance metric: `haversine`, `walking` or `matrix`.
    pub metric: String,
    /// Mean Polsby–Popper of the drawn districts (4 decimals; empty without an assignment).
    pub polsby_popper_mean: String,
    /// Lowest Polsby–Popper ...
    pub polsby_popper_min: String,
    /// ... of this school's district.
    pub polsby_popper_min_school: String,
    /// Mean convex-hull ratio of the drawn districts (4 decimals).
    pub convex_hull_ratio_mean: String,
    /// Lowest convex-hull ratio ...
    pub convex_hull_ratio_min: String,
    /// ... of this school's district.
    pub convex_hull_ratio_min_school: String,
    /// With `contiguous = true`: the total way above the optimum without the
    /// rule, metres (3 decimals; empty when the scenario is not contiguous,
    /// `masked` when publishing withholds the total way).
    pub contiguity_price_m: String,
    /// The same as a percentage of the unconstrained total way (4 decimals).
    pub contiguity_price_pct: String,
    /// The optimum's total way without the contiguity rule, km (2 decimals).
    pub unconstrained_total_way_km: String,
}

/// The lines of `compare.csv`, one per scenario; empty cells for missing figures.
pub fn comparison_csv_lines(rows: &[ComparisonRow]) -> Vec<ComparisonCsvLine> {
    let opt = |v: Option<String>| v.unwrap_or_default();
    rows.iter()
        .map(|r| {
            let d = r.distances.as_ref();
            ComparisonCsvLine {
                label: r.label.clone(),
                scenario: r.scenario.clone(),
                file: r.file.clone(),
                status: r.status.clone(),
                pupils: r.count(r.pupils),
                placed: opt(r.placed.map(|n| r.unless_withheld(r.placed_withheld(), || n.to_string()))),
                total_way_km: opt(d.map(|d| r.unless_withheld(r.ways_withheld().total_and_mean, || format!("{:.2}", d.total_m / 1000.0)))),
                mean_way_m: opt(d.map(|d| r.unless_withheld(r.ways_withheld().total_and_mean, || format!("{:.1}", d.mean_m)))),
                p95_way_m: opt(d.map(|d| r.unless_withheld(r.ways_withheld().percentile, || format!("{:.1}", d.p95_m)))),
                max_way_m: opt(d.map(|d| r.unless_withheld(r.ways_withheld().longest, || format!("{:.1}", d.max_m)))),
                acceptable_way_m: format!("{}", r.acceptable_way_m),
                over_acceptable: opt(d.map(|d| r.count(d.over_acceptable))),
                schools_reduced: opt(r.schools_reduced.map(|n| n.to_string())),
                classes_opened: opt(r.classes_opened.map(|n| n.to_string())),
                pupils_per_class: match r.placed_withheld() {
                    true => "masked".into(),
                    false => opt(r.pupils_per_class().map(|p| format!("{p:.2}"))),
                },
                utilisation_min: opt(r
                    .utilisation_min
                    .as_ref()
                    .map(|u| r.unless_withheld(r.utilisation_withheld.0, || format!("{:.4}", u.0)))),
                utilisation_min_school: opt(r.utilisation_min.as_ref().map(|u| u.1.clone())),
                utilisation_max: opt(r
                    .utilisation_max
                    .as_ref()
                    .map(|u| r.unless_withheld(r.utilisation_withheld.1, || format!("{:.4}", u.0)))),
                utilisation_max_school: opt(r.utilisation_max.as_ref().map(|u| u.1.clone())),
                moved_against_baseline: opt(r.moved_against_baseline.map(|n| r.count(n))),
                violations: r.count(r.violations),
                dissimilarity: opt(r.segregation.as_ref().and_then(|g| g.dissimilarity).map(|d| r.index_text(d))),
                isolation: opt(r.segregation.as_ref().and_then(|g| g.isolation).map(|d| r.index_text(d))),
                exposure: opt(r.segregation.as_ref().and_then(|g| g.exposure).map(|d| r.index_text(d))),
                max_share_deviation: opt(r.segregation.as_ref().map(|g| r.index_text(g.max_share_deviation))),
                schools_above_threshold: opt(r.segregation.as_ref().map(|g| g.schools_above_threshold.to_string())),
                metric: r.metric.name().to_string(),
                polsby_popper_mean: opt(r.compactness.as_ref().map(|c| format!("{:.4}", c.polsby_popper_mean))),
                polsby_popper_min: opt(r.compactness.as_ref().map(|c| format!("{:.4}", c.polsby_popper_min))),
                polsby_popper_min_school: opt(r.compactness.as_ref().map(|c| c.polsby_popper_min_school.clone())),
                convex_hull_ratio_mean: opt(r.compactness.as_ref().map(|c| format!("{:.4}", c.convex_hull_ratio_mean))),
                convex_hull_ratio_min: opt(r.compactness.as_ref().map(|c| format!("{:.4}", c.convex_hull_ratio_min))),
                convex_hull_ratio_min_school: opt(r.compactness.as_ref().map(|c| c.convex_hull_ratio_min_school.clone())),
                contiguity_price_m: r.contiguity_cell(|c| format!("{:.3}", c.price_m)),
                contiguity_price_pct: r.contiguity_cell(|c| format!("{:.4}", c.price_pct)),
                unconstrained_total_way_km: r.contiguity_cell(|c| format!("{:.2}", c.unconstrained_total_way_m / 1000.0)),
            }
        })
        .collect()
}

/// How one school differs between a base scenario and another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolDifference {
    /// Label of the base scenario.
    pub base: String,
    /// Label of the other scenario.
    pub scenario: String,
    /// School id.
    pub school_id: String,
    /// School name.
    pub name: String,
    /// Pupils in the base (empty: the school is not in it).
    pub pupils_base: Option<u32>,
    /// Pupils in the other scenario.
    pub pupils: Option<u32>,
    /// Change in pupils.
    pub pupils_change: i64,
    /// Classes in the base.
    pub classes_base: Option<u32>,
    /// Classes in the other scenario.
    pub classes: Option<u32>,
    /// Change in classes.
    pub classes_change: i64,
}

impl SchoolDifference {
    /// Whether anything changed.
    pub fn changed(&self) -> bool {
        self.pupils_change != 0 || self.classes_change != 0 || self.pupils_base.is_none() != self.pupils.is_none()
    }
}

/// Per-school differences from `base` to `other` (school tables of the two
/// scenarios): the base's schools in order, then schools only in `other`.
pub fn school_differences(base_label: &str, base: &[SchoolRow], label: &str, other: &[SchoolRow]) -> Vec<SchoolDifference> {
    let mut ids: Vec<(&str, &str)> = base.iter().map(|r| (r.school_id.as_str(), r.name.as_str())).collect();
    ids.extend(
        other
            .iter()
            .filter(|r| !base.iter().any(|b| b.school_id == r.school_id))
            .map(|r| (r.school_id.as_str(), r.name.as_str())),
    );
    let find = |rows: &[SchoolRow], id: &str| rows.iter().find(|r| r.school_id == id).map(|r| (r.assigned, r.classes));
    ids.into_iter()
        .map(|(id, name)| {
            let (a, b) = (find(base, id), find(other, id));
            SchoolDifference {
                base: base_label.to_string(),
                scenario: label.to_string(),
                school_id: id.to_string(),
                name: name.to_string(),
                pupils_base: a.map(|x| x.0),
                pupils: b.map(|x| x.0),
                pupils_change: b.map_or(0, |x| x.0 as i64) - a.map_or(0, |x| x.0 as i64),
                classes_base: a.map(|x| x.1),
                classes: b.map(|x| x.1),
                classes_change: b.map_or(0, |x| x.1 as i64) - a.map_or(0, |x| x.1 as i64),
            }
        })
        .collect()
}

/// The changed schools as a text table: pupils and classes before and after.
pub fn differences_text(differences: &[SchoolDifference]) -> String {
    differences_text_with(differences, None)
}

/// [`differences_text`] for publication: pupils before, after and their
/// change withheld together where any of them is below the mask (see
/// [`published_differences`]).
pub fn published_differences_text(differences: &[SchoolDifference], mask: Mask) -> String {
    differences_text_with(differences, Some(mask))
}

fn differences_text_with(differences: &[SchoolDifference], mask: Option<Mask>) -> String {
    let changed: Vec<usize> = (0..differences.len()).filter(|&i| differences[i].changed()).collect();
    let Some(first) = differences.first() else {
        return String::new();
    };
    let mut out = format!("{} against {}: {} schools change\n", first.scenario, first.base, changed.len());
    if changed.is_empty() {
        return out;
    }
    let withheld = mask
        .map(|m| withheld_differences(differences, m))
        .unwrap_or_else(|| vec![false; differences.len()]);
    let cell = |a: Option<u32>, b: Option<u32>, change: i64| {
        let show = |v: Option<u32>| v.map_or("-".to_string(), |v| v.to_string());
        if change == 0 {
            format!("{} -> {}", show(a), show(b))
        } else {
            format!("{} -> {} ({change:+})", show(a), show(b))
        }
    };
    let lines: Vec<[String; 4]> = changed
        .iter()
        .map(|&i| {
            let d = &differences[i];
            let pupils = match withheld[i] {
                true => "masked".to_string(),
                false => cell(d.pupils_base, d.pupils, d.pupils_change),
            };
            [
                d.school_id.clone(),
                d.name.clone(),
                pupils,
                cell(d.classes_base, d.classes, d.classes_change),
            ]
        })
        .collect();
    let header = ["school", "name", "pupils", "classes"];
    let widths: Vec<usize> = (0..4)
        .map(|i| {
            lines
                .iter()
                .map(|l| l[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let render = |cells: [&str; 4]| {
        format!(
            "  {:<w0$}  {:<w1$}  {:>w2$}  {:>w3$}\n",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3]
        )
    };
    out.push_str(&render(header));
    for l in &lines {
        out.push_str(&render([&l[0], &l[1], &l[2], &l[3]]));
    }
    out
}

/// Which schools' pupils (before, after, change) are withheld for
/// publication: any of the three below the mask withholds all three (each
/// gives the others away), and within each of the three columns one more
/// school when exactly one is withheld (the column's total would give it
/// away), until nothing changes.
pub fn withheld_differences(differences: &[SchoolDifference], mask: Mask) -> Vec<bool> {
    let before: Vec<u64> = differences.iter().map(|d| u64::from(d.pupils_base.unwrap_or(0))).collect();
    let after: Vec<u64> = differences.iter().map(|d| u64::from(d.pupils.unwrap_or(0))).collect();
    let change: Vec<u64> = differences.iter().map(|d| d.pupils_change.unsigned_abs()).collect();
    let mut withheld: Vec<bool> = (0..differences.len())
        .map(|i| mask.hides(before[i]) || mask.hides(after[i]) || mask.hides(change[i]))
        .collect();
    loop {
        let mut next = withheld.clone();
        for values in [&before, &after, &change] {
            for (i, cell) in column(values, &withheld, &mask).into_iter().enumerate() {
                next[i] |= cell != Cell::Shown;
            }
        }
        if next == withheld {
            return withheld;
        }
        withheld = next;
    }
}

/// One line of `diff.csv` for publication: the same columns, pupils
/// withheld as `masked` where [`withheld_differences`] says so.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublishedDifference {
    /// Label of the base scenario.
    pub base: String,
    /// Label of the other scenario.
    pub scenario: String,
    /// School id.
    pub school_id: String,
    /// School name.
    pub name: String,
    /// Pupils in the base, or `masked`.
    pub pupils_base: String,
    /// Pupils in the other scenario, or `masked`.
    pub pupils: String,
    /// Change in pupils, or `masked`.
    pub pupils_change: String,
    /// Classes in the base.
    pub classes_base: String,
    /// Classes in the other scenario.
    pub classes: String,
    /// Change in classes.
    pub classes_change: i64,
}

/// The lines of `diff.csv` for publication.
pub fn published_differences(differences: &[SchoolDifference], mask: Mask) -> Vec<PublishedDifference> {
    let withheld = withheld_differences(differences, mask);
    let show = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
    differences
        .iter()
        .zip(withheld)
        .map(|(d, w)| {
            let pupils = |text: String| if w { "masked".to_string() } else { text };
            PublishedDifference {
                base: d.base.clone(),
                scenario: d.scenario.clone(),
                school_id: d.school_id.clone(),
                name: d.name.clone(),
                pupils_base: pupils(show(d.pupils_base)),
                pupils: pupils(show(d.pupils)),
                pupils_change: pupils(d.pupils_change.to_string()),
                classes_base: show(d.classes_base),
                classes: show(d.classes),
                classes_change: d.classes_change,
            }
        })
        .collect()
}
