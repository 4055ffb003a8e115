//! A differential case as the test holds it — schools, pupils, last year's
//! assignment, rules and solver settings in the test's own types, not the
//! library's — with the files it is written to and read back from.
//!
//! Coordinates are whole micro-degrees, so that the decimal text in the CSV
//! files and the number the test computes with are the same double.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

/// File name of the scenario solved with `formulation = "certified"`.
pub const CERTIFIED_TOML: &str = "scenario.toml";
/// File name of the same scenario with `formulation = "plain"`.
pub const PLAIN_TOML: &str = "plain.toml";
/// File name of the baseline (last year's assignment).
pub const BASELINE_CSV: &str = "last-year.csv";

/// A school row.
#[derive(Debug, Clone, PartialEq)]
pub struct SchoolSpec {
    /// `school_id`.
    pub id: String,
    /// Latitude in micro-degrees.
    pub lat_u: i64,
    /// Longitude in micro-degrees.
    pub lon_u: i64,
    /// Planned classes.
    pub classes: u32,
    /// Fewest classes the school may open.
    pub min_classes: u32,
    /// Most classes the school may open.
    pub max_classes: u32,
    /// Seats taken before assignment (repeaters).
    pub reserved: u32,
    /// Last year's migration share in basis points (1/10,000).
    pub share_bp: u32,
}

/// A pupil row.
#[derive(Debug, Clone, PartialEq)]
pub struct PupilSpec {
    /// `pupil_id`.
    pub id: String,
    /// Latitude in micro-degrees.
    pub lat_u: i64,
    /// Longitude in micro-degrees.
    pub lon_u: i64,
    /// `migration_background` = 1.
    pub migrant: bool,
    /// `unit_id`, if any.
    pub unit: Option<String>,
    /// Index of the `fixed_school`, if any.
    pub lock: Option<usize>,
    /// Index of the `sibling_school`, if any.
    pub sibling: Option<usize>,
}

/// Last year's assignment, by pupil or by unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    /// `true`: rows are `unit_id,school_id`; `false`: `pupil_id,school_id`.
    pub by_unit: bool,
    /// (pupil or unit id, school index); ids of nobody this year are allowed.
    pub rows: Vec<(String, usize)>,
}

/// The `[rules]` of the case.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSpec {
    /// Pupils per class.
    pub class_size: u32,
    /// Pupils per class above the threshold.
    pub reduced_class_size: u32,
    /// The migration threshold in percent (a share strictly above it reduces).
    pub threshold_pct: u32,
    /// `migration_basis = "intake"` (else `previous_year`).
    pub intake: bool,
    /// `min_class_size`.
    pub min_class_size: Option<u32>,
    /// `max_distance_m`.
    pub max_distance_m: Option<u32>,
    /// `move_penalty_m` (written only with a baseline).
    pub move_penalty_m: u32,
    /// `max_moves` (written only with a baseline).
    pub max_moves: Option<u32>,
    /// `sibling_weight_m`.
    pub sibling_weight_m: u32,
    /// `siblings_hard`.
    pub siblings_hard: bool,
    /// `assign = "units"` (else `pupils`, or `homes`).
    pub units: bool,
    /// `assign = "homes"`: pupils at one point go together (never with `units`).
    pub homes: bool,
    /// `contiguous = true` (with `units` or `homes`).
    pub contiguous: bool,
}

/// The `[solver]` settings that change how, never what, the certified solve finds.
#[derive(Debug, Clone, PartialEq)]
pub struct SolverSpec {
    /// `candidate_nearest`, when not the default.
    pub candidate_nearest: Option<u32>,
    /// `candidate_radius_m`, when not the default.
    pub candidate_radius_m: Option<u32>,
    /// `warm_start`.
    pub warm_start: bool,
    /// `integral_lp_shortcut`.
    pub integral_lp_shortcut: bool,
    /// `first_integer_reach_m`, when not the default.
    pub first_integer_reach_m: Option<u32>,
}

/// One instance with everything the scenario needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// Schools in file order.
    pub schools: Vec<SchoolSpec>,
    /// Pupils in file order.
    pub pupils: Vec<PupilSpec>,
    /// Last year's assignment, if the scenario names one.
    pub baseline: Option<Baseline>,
    /// Rule numbers.
    pub rules: RuleSpec,
    /// Solver settings.
    pub solver: SolverSpec,
    /// How the generator made the case (towns, ties, seat balance, ...);
    /// empty for a case read back from files.
    pub tags: BTreeSet<&'static str>,
}

/// Decimal text of micro-degrees, e.g. 52001500 -> "52.001500".
pub fn micro_text(u: i64) -> String {
    let sign = if u < 0 { "-" } else { "" };
    format!("{sign}{}.{:06}", u.abs() / 1_000_000, u.abs() % 1_000_000)
}

/// Micro-degrees as the double the CSV reader gets from their text.
pub fn micro_deg(u: i64) -> f64 {
    micro_text(u).parse().expect("decimal text parses")
}

/// A share or threshold as decimal text: `value` parts of `scale` (a power of ten).
fn fraction_text(value: u32, scale: u32) -> String {
    let digits = scale.ilog10() as usize;
    format!("{}.{:0digits$}", value / scale, value % scale)
}

impl Case {
    /// The features the case switches on, for the per-feature counts.
    pub fn features(&self) -> BTreeSet<&'static str> {
        let r = &self.rules;
        let mut f = self.tags.clone();
        f.insert(if r.intake { "basis intake" } else { "basis previous_year" });
        let flags = [
            ("class ranges", self.schools.iter().any(|s| s.min_classes != s.max_classes)),
            ("reserved seats", self.schools.iter().any(|s| s.reserved > 0)),
            ("locks", self.pupils.iter().any(|p| p.lock.is_some())),
            ("assign units", r.units),
            ("assign homes", r.homes),
            ("contiguous", r.contiguous),
            ("contiguous, enumerated", r.contiguous && self.is_tiny()),
            (
                "unit ids with assign pupils",
                !r.units && self.pupils.iter().any(|p| p.unit.is_some()),
            ),
            ("max distance", r.max_distance_m.is_some()),
            ("class minimum", r.min_class_size.is_some()),
            ("baseline", self.baseline.is_some()),
            ("baseline by unit", self.baseline.as_ref().is_some_and(|b| b.by_unit)),
            ("move penalty", self.baseline.is_some() && r.move_penalty_m > 0),
            ("max moves", self.baseline.is_some() && r.max_moves.is_some()),
            ("siblings", self.pupils.iter().any(|p| p.sibling.is_some())),
            (
                "siblings weighted",
                r.sibling_weight_m > 0 && self.pupils.iter().any(|p| p.sibling.is_some()),
            ),
            ("siblings hard", r.siblings_hard && self.pupils.iter().any(|p| p.sibling.is_some())),
            ("share at threshold +-1bp", self.share_near_threshold()),
            ("duplicate homes", self.has_duplicate_homes()),
            (
                "pruned candidates",
                self.solver.candidate_nearest.is_some() || self.solver.candidate_radius_m.is_some(),
            ),
            ("warm start off", !self.solver.warm_start),
            ("integral LP shortcut off", !self.solver.integral_lp_shortcut),
            ("short first integer reach", self.solver.first_integer_reach_m.is_some()),
            ("tiny (enumerated)", self.is_tiny()),
        ];
        f.extend(flags.into_iter().filter(|(_, on)| *on).map(|(name, _)| name));
        f
    }

    /// Small enough for brute-force enumeration: at most 8 pupils and 3 schools.
    pub fn is_tiny(&self) -> bool {
        self.pupils.len() <= 8 && self.schools.len() <= 3
    }

    fn share_near_threshold(&self) -> bool {
        let t = self.rules.threshold_pct as i64 * 100;
        self.schools.iter().any(|s| (s.share_bp as i64 - t).abs() <= 1)
    }

    fn has_duplicate_homes(&self) -> bool {
        let homes: BTreeSet<(i64, i64)> = self.pupils.iter().map(|p| (p.lat_u, p.lon_u)).collect();
        homes.len() < self.pupils.len()
    }

    /// Writes `schools.csv`, `pupils.csv`, the baseline and both scenario files into `dir`.
    pub fn write(&self, dir: &Path, name: &str) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join("schools.csv"), self.schools_csv())?;
        std::fs::write(dir.join("pupils.csv"), self.pupils_csv())?;
        if let Some(baseline) = &self.baseline {
            std::fs::write(dir.join(BASELINE_CSV), self.baseline_csv(baseline))?;
        }
        std::fs::write(dir.join(CERTIFIED_TOML), self.scenario_toml(name, "certified"))?;
        std::fs::write(dir.join(PLAIN_TOML), self.scenario_toml(name, "plain"))?;
        Ok(())
    }

    fn schools_csv(&self) -> String {
        let mut text = String::from("school_id,name,lat,lon,classes,prev_migration_share,min_classes,max_classes,reserved_seats\n");
        for s in &self.schools {
            writeln!(
                text,
                "{},School {},{},{},{},{},{},{},{}",
                s.id,
                s.id,
                micro_text(s.lat_u),
                micro_text(s.lon_u),
                s.classes,
                fraction_text(s.share_bp, 10_000),
                s.min_classes,
                s.max_classes,
                s.reserved
            )
            .unwrap();
        }
        text
    }

    /// The pupils' file; optional columns only when some pupil fills them.
    fn pupils_csv(&self) -> String {
        let school_id = |s: Option<usize>| s.map_or(String::new(), |s| self.schools[s].id.clone());
        let with_unit = self.pupils.iter().any(|p| p.unit.is_some());
        let with_lock = self.pupils.iter().any(|p| p.lock.is_some());
        let with_sibling = self.pupils.iter().any(|p| p.sibling.is_some());
        let mut text = String::from("pupil_id,lat,lon,migration_background");
        for (on, column) in [
            (with_unit, "unit_id"),
            (with_lock, "fixed_school"),
            (with_sibling, "sibling_school"),
        ] {
            if on {
                text.push(',');
                text.push_str(column);
            }
        }
        text.push('\n');
        for p in &self.pupils {
            write!(text, "{},{},{},{}", p.id, micro_text(p.lat_u), micro_text(p.lon_u), p.migrant as u8).unwrap();
            let cells = [
                (with_unit, p.unit.clone().unwrap_or_default()),
                (with_lock, school_id(p.lock)),
                (with_sibling, school_id(p.sibling)),
            ];
            for (on, cell) in cells {
                if on {
                    text.push(',');
                    text.push_str(&cell);
                }
            }
            text.push('\n');
        }
        text
    }

    fn baseline_csv(&self, baseline: &Baseline) -> String {
        let mut text = String::from(if baseline.by_unit {
            "unit_id,school_id\n"
        } else {
            "pupil_id,school_id\n"
        });
        for (key, school) in &baseline.rows {
            writeln!(text, "{key},{}", self.schools[*school].id).unwrap();
        }
        text
    }

    /// The scenario file with every rule of the case and the given formulation.
    pub fn scenario_toml(&self, name: &str, formulation: &str) -> String {
        let r = &self.rules;
        let mut t = format!("name = \"differential {name}\"\nschools = \"schools.csv\"\npupils = \"pupils.csv\"\n");
        if self.baseline.is_some() {
            writeln!(t, "baseline = \"{BASELINE_CSV}\"").unwrap();
        }
        t.push_str("\n[rules]\n");
        writeln!(t, "class_size = {}", r.class_size).unwrap();
        writeln!(t, "reduced_class_size = {}", r.reduced_class_size).unwrap();
        writeln!(t, "migration_threshold = {}", fraction_text(r.threshold_pct, 100)).unwrap();
        writeln!(t, "migration_basis = \"{}\"", if r.intake { "intake" } else { "previous_year" }).unwrap();
        if let Some(m) = r.min_class_size {
            writeln!(t, "min_class_size = {m}").unwrap();
        }
        if let Some(d) = r.max_distance_m {
            writeln!(t, "max_distance_m = {d}").unwrap();
        }
        if self.baseline.is_some() {
            writeln!(t, "move_penalty_m = {}", r.move_penalty_m).unwrap();
            if let Some(cap) = r.max_moves {
                writeln!(t, "max_moves = {cap}").unwrap();
            }
        }
        writeln!(t, "sibling_weight_m = {}", r.sibling_weight_m).unwrap();
        writeln!(t, "siblings_hard = {}", r.siblings_hard).unwrap();
        let assign = match (r.units, r.homes) {
            (true, _) => "units",
            (false, true) => "homes",
            (false, false) => "pupils",
        };
        writeln!(t, "assign = \"{assign}\"").unwrap();
        if r.contiguous {
            writeln!(t, "contiguous = true").unwrap();
        }
        t.push_str("\n[solver]\n");
        writeln!(t, "formulation = \"{formulation}\"").unwrap();
        if let Some(k) = self.solver.candidate_nearest {
            writeln!(t, "candidate_nearest = {k}").unwrap();
        }
        if let Some(radius) = self.solver.candidate_radius_m {
            writeln!(t, "candidate_radius_m = {radius}").unwrap();
        }
        writeln!(t, "warm_start = {}", self.solver.warm_start).unwrap();
        writeln!(t, "integral_lp_shortcut = {}", self.solver.integral_lp_shortcut).unwrap();
        if let Some(reach) = self.solver.first_integer_reach_m {
            writeln!(t, "first_integer_reach_m = {reach}").unwrap();
        }
        // Far towns are 34 km apart and may hold a school without pupils:
        // "far from all others" by the plausibility check, on purpose here.
        t.push_str("\n[input]\nallow_outliers = true\n");
        t
    }

    /// Reads a case back from the files [`Case::write`] wrote (a kept
    /// instance or a reproducer in `tests/fixtures/differential/`).
    pub fn read(dir: &Path) -> Result<Case, String> {
        let scenario_text = std::fs::read_to_string(dir.join(CERTIFIED_TOML)).map_err(|e| format!("{}: {e}", dir.display()))?;
        let scenario: toml::Table = scenario_text.parse().map_err(|e| format!("{CERTIFIED_TOML}: {e}"))?;
        let schools = read_schools(&std::fs::read_to_string(dir.join("schools.csv")).map_err(|e| e.to_string())?)?;
        let school_index = |id: &str| -> Result<Option<usize>, String> {
            if id.is_empty() {
                return Ok(None);
            }
            schools
                .iter()
                .position(|s| s.id == id)
                .map(Some)
                .ok_or(format!("unknown school {id}"))
        };
        let pupils = read_pupils(
            &std::fs::read_to_string(dir.join("pupils.csv")).map_err(|e| e.to_string())?,
            &school_index,
        )?;
        let baseline = match scenario.get("baseline") {
            None => None,
            Some(_) => Some(read_baseline(
                &std::fs::read_to_string(dir.join(BASELINE_CSV)).map_err(|e| e.to_string())?,
                &school_index,
            )?),
        };
        let empty = toml::Table::new();
        let rules_table = scenario.get("rules").and_then(|v| v.as_table()).unwrap_or(&empty);
        let solver_table = scenario.get("solver").and_then(|v| v.as_table()).unwrap_or(&empty);
        Ok(Case {
            schools,
            pupils,
            baseline,
            rules: read_rules(rules_table)?,
            solver: read_solver(solver_table),
            tags: BTreeSet::new(),
        })
    }
}

/// Cells of a CSV text's rows (no quoting: the test writes none), header first.
fn rows(text: &str) -> Vec<Vec<&str>> {
    text.lines().filter(|l| !l.is_empty()).map(|l| l.split(',').collect()).collect()
}

/// Micro-degrees from decimal text with at most six decimals.
fn parse_micro(text: &str) -> Result<i64, String> {
    let (sign, digits) = text.strip_prefix('-').map_or((1, text), |rest| (-1, rest));
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if frac.len() > 6 {
        return Err(format!("{text}: more than six decimals"));
    }
    let whole: i64 = whole.parse().map_err(|_| format!("{text}: not a number"))?;
    let frac: i64 = format!("{frac:0<6}").parse().map_err(|_| format!("{text}: not a number"))?;
    Ok(sign * (whole * 1_000_000 + frac))
}

/// Parts of `scale` from decimal text, e.g. ("0.2501", 10000) -> 2501.
fn parse_fraction(text: &str, scale: u32) -> Result<u32, String> {
    let digits = scale.ilog10() as usize;
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    if frac.len() > digits {
        return Err(format!("{text}: more than {digits} decimals"));
    }
    let whole: u32 = whole.parse().map_err(|_| format!("{text}: not a number"))?;
    let frac: u32 = format!("{frac:0<digits$}").parse().map_err(|_| format!("{text}: not a number"))?;
    Ok(whole * scale + frac)
}

fn column(header: &[&str], name: &str) -> Option<usize> {
    header.iter().position(|h| *h == name)
}

fn read_schools(text: &str) -> Result<Vec<SchoolSpec>, String> {
    let table = rows(text);
    let header = &table[0];
    let c = |name: &str| column(header, name).ok_or(format!("schools.csv: no column {name}"));
    let (c_id, c_lat, c_lon, c_classes, c_share) = (c("school_id")?, c("lat")?, c("lon")?, c("classes")?, c("prev_migration_share")?);
    let (c_min, c_max, c_reserved) = (c("min_classes")?, c("max_classes")?, c("reserved_seats")?);
    let number = |cell: &str| cell.parse::<u32>().map_err(|_| format!("schools.csv: {cell} is not a count"));
    table[1..]
        .iter()
        .map(|row| {
            Ok(SchoolSpec {
                id: row[c_id].to_string(),
                lat_u: parse_micro(row[c_lat])?,
                lon_u: parse_micro(row[c_lon])?,
                classes: number(row[c_classes])?,
                min_classes: number(row[c_min])?,
                max_classes: number(row[c_max])?,
                reserved: number(row[c_reserved])?,
                share_bp: parse_fraction(row[c_share], 10_000)?,
            })
        })
        .collect()
}

type SchoolIndex<'a> = dyn Fn(&str) -> Result<Option<usize>, String> + 'a;

fn read_pupils(text: &str, school_index: &SchoolIndex) -> Result<Vec<PupilSpec>, String> {
    let table = rows(text);
    let header = &table[0];
    let c = |name: &str| column(header, name).ok_or(format!("pupils.csv: no column {name}"));
    let (c_id, c_lat, c_lon, c_mig) = (c("pupil_id")?, c("lat")?, c("lon")?, c("migration_background")?);
    let (c_unit, c_lock, c_sibling) = (
        column(header, "unit_id"),
        column(header, "fixed_school"),
        column(header, "sibling_school"),
    );
    fn cell<'t>(row: &[&'t str], col: Option<usize>) -> &'t str {
        col.and_then(|c| row.get(c).copied()).unwrap_or("")
    }
    table[1..]
        .iter()
        .map(|row| {
            Ok(PupilSpec {
                id: row[c_id].to_string(),
                lat_u: parse_micro(row[c_lat])?,
                lon_u: parse_micro(row[c_lon])?,
                migrant: row[c_mig] == "1",
                unit: Some(cell(row, c_unit)).filter(|u| !u.is_empty()).map(str::to_string),
                lock: school_index(cell(row, c_lock))?,
                sibling: school_index(cell(row, c_sibling))?,
            })
        })
        .collect()
}

fn read_baseline(text: &str, school_index: &SchoolIndex) -> Result<Baseline, String> {
    let table = rows(text);
    let by_unit = table[0][0] == "unit_id";
    let rows = table[1..]
        .iter()
        .map(|row| Ok((row[0].to_string(), school_index(row[1])?.ok_or("baseline row without school")?)))
        .collect::<Result<_, String>>()?;
    Ok(Baseline { by_unit, rows })
}

fn read_rules(t: &toml::Table) -> Result<RuleSpec, String> {
    let int = |key: &str| t.get(key).and_then(|v| v.as_integer()).map(|v| v as u32);
    let text = |key: &str| t.get(key).and_then(|v| v.as_str()).unwrap_or("");
    let threshold = t.get("migration_threshold").map_or("0.25".to_string(), |v| v.to_string());
    Ok(RuleSpec {
        class_size: int("class_size").unwrap_or(22),
        reduced_class_size: int("reduced_class_size").unwrap_or(17),
        threshold_pct: parse_fraction(&threshold, 100)?,
        intake: text("migration_basis") == "intake",
        min_class_size: int("min_class_size"),
        max_distance_m: int("max_distance_m"),
        move_penalty_m: int("move_penalty_m").unwrap_or(0),
        max_moves: int("max_moves"),
        sibling_weight_m: int("sibling_weight_m").unwrap_or(0),
        siblings_hard: t.get("siblings_hard").and_then(|v| v.as_bool()).unwrap_or(false),
        units: text("assign") == "units",
        homes: text("assign") == "homes",
        contiguous: t.get("contiguous").and_then(|v| v.as_bool()).unwrap_or(false),
    })
}

fn read_solver(t: &toml::Table) -> SolverSpec {
    let int = |key: &str| t.get(key).and_then(|v| v.as_integer()).map(|v| v as u32);
    let flag = |key: &str| t.get(key).and_then(|v| v.as_bool()).unwrap_or(true);
    SolverSpec {
        candidate_nearest: int("candidate_nearest"),
        candidate_radius_m: int("candidate_radius_m"),
        warm_start: flag("warm_start"),
        integral_lp_shortcut: flag("integral_lp_shortcut"),
        first_integer_reach_m: int("first_integer_reach_m"),
    }
}
