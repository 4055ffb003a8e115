//! Sweeps: the grid of scenarios that `catchment sweep S.toml --set KEY=VALUES ...`
//! solves. A `--set` names a dotted scenario key (`rules.KEY`, `solver.KEY`,
//! or `classes.SCHOOL_ID` for a school's classes) and its values, separated
//! by commas or as an inclusive integer range `a..b`. The grid is the
//! Cartesian product of all `--set`s, the first varying slowest; each grid
//! point has a readable, filesystem-safe label such as
//! `migration_threshold=0.20,GS03=3`. Every value is applied to a loaded
//! instance and checked as the scenario loader checks it, before anything is
//! solved.

use crate::model::limits::MAX_CLASSES_PER_SCHOOL;
use crate::model::{Instance, Rules, SolverSettings};

/// Most grid points a sweep may have.
pub const MAX_GRID_POINTS: usize = 10_000;

/// A bad `--set` argument: which one, and what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("--set {argument}: {reason}")]
pub struct SweepError {
    /// The argument as given.
    pub argument: String,
    /// What is wrong and what to do.
    pub reason: String,
}

/// One `--set`: a dotted key and its values as written.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepAxis {
    /// The argument as given (for error messages).
    pub argument: String,
    /// The dotted key, e.g. `rules.migration_threshold`.
    pub key: String,
    /// The values, as written (a range expanded).
    pub values: Vec<String>,
}

/// One scenario of the grid: a value for every axis, and its folder label.
#[derive(Debug, Clone, PartialEq)]
pub struct GridPoint {
    /// `(dotted key, value as written)` per axis, in axis order.
    pub settings: Vec<(String, String)>,
    /// The folder name: `name=value` per axis, joined by commas.
    pub label: String,
}

fn bad(argument: &str, reason: impl Into<String>) -> SweepError {
    SweepError {
        argument: argument.to_string(),
        reason: reason.into(),
    }
}

/// Parses one `--set KEY=V1,V2,...` or `--set KEY=A..B`.
pub fn parse_set(argument: &str) -> Result<SweepAxis, SweepError> {
    let (key, values) = argument
        .split_once('=')
        .ok_or_else(|| bad(argument, "expected KEY=VALUES, e.g. rules.migration_threshold=0.20,0.25"))?;
    let key = key.trim();
    let known = ["rules.", "solver.", "classes."]
        .iter()
        .any(|p| key.strip_prefix(p).is_some_and(|rest| !rest.is_empty()));
    if !known || key.matches('.').count() != 1 {
        return Err(bad(
            argument,
            format!("unknown key `{key}`: use rules.KEY, solver.KEY or classes.SCHOOL_ID"),
        ));
    }
    if key == "rules.assign" {
        return Err(bad(
            argument,
            "rules.assign cannot be swept (it changes what is decided); set it in the scenario file",
        ));
    }
    let values = match values.split_once("..") {
        Some((from, to)) => integer_range(argument, from.trim(), to.trim())?,
        None => values.split(',').map(|v| v.trim().to_string()).collect(),
    };
    if values.iter().any(String::is_empty) {
        return Err(bad(
            argument,
            "an empty value; separate values by commas, e.g. 3,4,5, or give a range 3..5",
        ));
    }
    if let Some(twice) = values.iter().enumerate().find(|(i, v)| values[..*i].contains(v)) {
        return Err(bad(argument, format!("the value {} is given twice", twice.1)));
    }
    Ok(SweepAxis {
        argument: argument.to_string(),
        key: key.to_string(),
        values,
    })
}

/// The values of an inclusive integer range `from..to`.
fn integer_range(argument: &str, from: &str, to: &str) -> Result<Vec<String>, SweepError> {
    let parse = |text: &str| {
        text.parse::<i64>()
            .map_err(|_| bad(argument, format!("`{text}` in a range must be a whole number, e.g. 3..5")))
    };
    let (a, b) = (parse(from)?, parse(to)?);
    if a > b || b - a >= MAX_GRID_POINTS as i64 {
        return Err(bad(
            argument,
            format!("the range {a}..{b} must run upwards, at most {MAX_GRID_POINTS} values"),
        ));
    }
    Ok((a..=b).map(|v| v.to_string()).collect())
}

/// The Cartesian product of the axes, the first varying slowest. Refuses a
/// key given twice, a grid larger than [`MAX_GRID_POINTS`], and two points
/// whose labels would be the same folder.
pub fn grid(axes: &[SweepAxis]) -> Result<Vec<GridPoint>, SweepError> {
    for (i, axis) in axes.iter().enumerate() {
        if axes[..i].iter().any(|a| a.key == axis.key) {
            return Err(bad(
                &axis.argument,
                format!("{} is set twice; give all its values in one --set", axis.key),
            ));
        }
    }
    let size = axes
        .iter()
        .try_fold(1usize, |n, a| n.checked_mul(a.values.len()).filter(|&n| n <= MAX_GRID_POINTS));
    let Some(size) = size else {
        let argument = axes.last().map_or("", |a| a.argument.as_str());
        return Err(bad(argument, format!("the grid would have more than {MAX_GRID_POINTS} points")));
    };
    let names = short_names(axes);
    let mut points = Vec::with_capacity(size);
    for index in 0..size {
        let mut rest = index;
        let mut settings = vec![(String::new(), String::new()); axes.len()];
        for (a, axis) in axes.iter().enumerate().rev() {
            let n = axis.values.len();
            settings[a] = (axis.key.clone(), axis.values[rest % n].clone());
            rest /= n;
        }
        let label = settings
            .iter()
            .zip(&names)
            .map(|((_, value), name)| format!("{name}={}", safe(value)))
            .collect::<Vec<_>>()
            .join(",");
        points.push(GridPoint { settings, label });
    }
    for (i, point) in points.iter().enumerate() {
        if points[..i].iter().any(|p| p.label == point.label) {
            return Err(bad(
                &axes[0].argument,
                format!("two grid points would share the folder `{}`; use plainer values", point.label),
            ));
        }
    }
    Ok(points)
}

/// Per axis the name in labels: the last part of the key, or the whole key
/// (with `_` for `.`) where two axes share the last part.
fn short_names(axes: &[SweepAxis]) -> Vec<String> {
    let last = |key: &str| key.rsplit('.').next().unwrap_or(key).to_string();
    axes.iter()
        .map(|axis| {
            let short = last(&axis.key);
            let shared = axes.iter().filter(|a| last(&a.key) == short).count() > 1;
            safe(&if shared { axis.key.replace('.', "_") } else { short })
        })
        .collect()
}

/// A label part with every character but letters, digits and `.-+_` replaced by `_`.
fn safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A value as written, read as TOML (a number, a boolean, a quoted string),
/// else taken as a plain string (e.g. `intake`).
fn toml_value(text: &str) -> toml::Value {
    toml::from_str::<toml::Table>(&format!("v = {text}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(text.to_string()))
}

/// `table` (a serialised settings struct) with `field` set to `text`, read back and checked.
fn with_field<T: serde::Serialize + serde::de::DeserializeOwned>(
    current: &T,
    field: &str,
    text: &str,
    argument: &str,
) -> Result<T, SweepError> {
    let mut table = toml::Table::try_from(current).map_err(|e| bad(argument, e.to_string()))?;
    table.insert(field.to_string(), toml_value(text));
    toml::Value::Table(table)
        .try_into()
        .map_err(|e: toml::de::Error| bad(argument, e.message().trim_end().to_string()))
}

/// Applies one setting to the instance, checked as the loader checks the scenario.
pub fn apply_setting(instance: &mut Instance, key: &str, value: &str, argument: &str) -> Result<(), SweepError> {
    let (table, field) = key.split_once('.').unwrap_or((key, ""));
    match table {
        "rules" => {
            let rules: Rules = with_field(&instance.rules, field, value, argument)?;
            rules.check().map_err(|p| bad(argument, p.message))?;
            if let Some((needs, _)) = rules.keys_needing_baseline().first()
                && !instance.pupils.iter().any(|p| p.baseline_school.is_some())
            {
                return Err(bad(
                    argument,
                    format!("{needs} needs a baseline; add baseline = \"FILE.csv\" to the scenario"),
                ));
            }
            instance.rules = rules;
        }
        "solver" => {
            let solver: SolverSettings = with_field(&instance.solver, field, value, argument)?;
            solver.check().map_err(|p| bad(argument, p.message))?;
            instance.solver = solver;
        }
        _ => set_classes(instance, field, value, argument)?,
    }
    Ok(())
}

/// `classes.ID = n`: the school opens exactly `n` classes (its `classes`,
/// `min_classes` and `max_classes` all become `n`).
fn set_classes(instance: &mut Instance, id: &str, value: &str, argument: &str) -> Result<(), SweepError> {
    let s = instance
        .school_index(id)
        .ok_or_else(|| bad(argument, format!("no school with school_id `{id}` in the scenario")))?;
    let classes = value.parse::<u32>().ok().filter(|&n| n <= MAX_CLASSES_PER_SCHOOL).ok_or_else(|| {
        bad(
            argument,
            format!("classes `{value}` must be a whole number from 0 to {MAX_CLASSES_PER_SCHOOL}"),
        )
    })?;
    let school = &mut instance.schools[s];
    school.classes = classes;
    school.min_classes = classes;
    school.max_classes = classes;
    Ok(())
}

/// The instance of a grid point: `base` with every setting of the point applied.
pub fn point_instance(base: &Instance, axes: &[SweepAxis], point: &GridPoint) -> Result<Instance, SweepError> {
    let mut instance = base.clone();
    for (axis, (key, value)) in axes.iter().zip(&point.settings) {
        apply_setting(&mut instance, key, value, &axis.argument)?;
    }
    Ok(instance)
}

/// Checks every value of every axis on `base`, one at a time, so that a bad
/// value is reported before anything is solved.
pub fn check_axes(base: &Instance, axes: &[SweepAxis]) -> Result<(), SweepError> {
    for axis in axes {
        for value in &axis.values {
            apply_setting(&mut base.clone(), &axis.key, value, &axis.argument)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_is_the_product_with_the_first_axis_slowest() {
        let axes = vec![
            parse_set("rules.migration_threshold=0.20,0.25").unwrap(),
            parse_set("classes.GS03=3..5").unwrap(),
        ];
        let labels: Vec<String> = grid(&axes).unwrap().into_iter().map(|p| p.label).collect();
        assert_eq!(
            labels,
            vec![
                "migration_threshold=0.20,GS03=3",
                "migration_threshold=0.20,GS03=4",
                "migration_threshold=0.20,GS03=5",
                "migration_threshold=0.25,GS03=3",
                "migration_threshold=0.25,GS03=4",
                "migration_threshold=0.25,GS03=5",
            ]
        );
    }

    #[test]
    fn bad_arguments_are_named() {
        for (argument, reason) in [
            ("rules.class_size", "expected KEY=VALUES"),
            ("colour=red", "unknown key `colour`"),
            ("classes.A=3..1", "must run upwards"),
            ("classes.A=1,,2", "an empty value"),
            ("classes.A=x..2", "must be a whole number"),
            ("rules.class_size=20,20", "given twice"),
        ] {
            let error = parse_set(argument).unwrap_err();
            assert_eq!(error.argument, argument);
            assert!(error.reason.contains(reason), "{argument}: {}", error.reason);
        }
        let twice = vec![parse_set("rules.class_size=20").unwrap(), parse_set("rules.class_size=21").unwrap()];
        assert!(grid(&twice).unwrap_err().reason.contains("set twice"));
        let clash = vec![parse_set("rules.x=a b,a_b").unwrap()];
        assert!(grid(&clash).unwrap_err().reason.contains("share the folder"));
    }
}
