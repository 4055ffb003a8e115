//! Locations in a CSV table: `lat,lon` in WGS84 degrees, or `x,y` (also
//! `east,north`, `easting,northing`, `rechtswert,hochwert`, any case) in
//! the projected system `[input] crs` names, converted to WGS84 when read.

use super::crs::{Converter, Crs};
use super::table::Table;
use super::{InputDialect, InputError};
use crate::model::Location;

/// Names of the easting column, any case.
pub const EASTING_COLUMNS: [&str; 4] = ["x", "east", "easting", "rechtswert"];
/// Names of the northing column, any case.
pub const NORTHING_COLUMNS: [&str; 4] = ["y", "north", "northing", "hochwert"];

/// Where a table's coordinates are and how to read them.
pub(crate) struct LocationColumns {
    /// `lat` (WGS84) or the easting column.
    first: usize,
    /// `lon` (WGS84) or the northing column.
    second: usize,
    converter: Converter,
}

impl Table {
    /// The coordinate columns for the scenario's coordinate system; a
    /// missing pair names the setting that would read the columns present.
    pub fn location_columns(&self, dialect: &InputDialect) -> Result<LocationColumns, InputError> {
        let crs = dialect.coordinate_system();
        let (first, second) = match crs {
            Crs::Wgs84 => {
                let projected = self.alias(&EASTING_COLUMNS)?.is_some() && self.alias(&NORTHING_COLUMNS)?.is_some();
                let fix = projected.then(|| self.crs_guess());
                let lat = self.optional("lat").ok_or_else(|| self.missing("lat", fix.clone()))?;
                let lon = self.optional("lon").ok_or_else(|| self.missing("lon", fix))?;
                (lat, lon)
            }
            Crs::Projected(_) => {
                let fix = (self.has("lat") && self.has("lon")).then(|| {
                    format!("this file has `lat,lon` columns (WGS84 degrees) and `[input] crs = \"{}\"` is set: remove `crs` to read them, or give the coordinates as `x,y`", crs.name())
                });
                let x = self.alias(&EASTING_COLUMNS)?.ok_or_else(|| self.missing("x", fix.clone()))?;
                let y = self.alias(&NORTHING_COLUMNS)?.ok_or_else(|| self.missing("y", fix))?;
                (x, y)
            }
        };
        Ok(LocationColumns {
            first,
            second,
            converter: Converter::new(crs),
        })
    }

    /// The one column named by any of `names` (any case); two of them are an error.
    fn alias(&self, names: &[&str]) -> Result<Option<usize>, InputError> {
        let found: Vec<(usize, &str)> = self
            .header_names()
            .enumerate()
            .filter(|(_, h)| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
            .collect();
        match found.as_slice() {
            [] => Ok(None),
            [(i, _)] => Ok(Some(*i)),
            [(i, a), (j, b), ..] => Err(InputError::DuplicateColumn {
                path: self.path.clone(),
                column: format!("{a}` and `{b}` (the same coordinate"),
                first: i + 1,
                second: j + 1,
            }),
        }
    }

    /// The sentence naming the `crs` a file with `x,y` columns probably needs,
    /// guessed from the first row's easting.
    fn crs_guess(&self) -> String {
        let easting = self
            .alias(&EASTING_COLUMNS)
            .ok()
            .flatten()
            .and_then(|c| self.rows.first().map(|(_, row)| self.text(row, c).replace(',', ".")))
            .and_then(|t| t.parse::<f64>().ok());
        let guess = match easting {
            Some(x) if (2_000_000.0..6_000_000.0).contains(&x) => {
                let zone = (x / 1_000_000.0).floor() as u32;
                format!(
                    "e.g. \"EPSG:{}\" (Gauss-Krüger zone {zone}, from the easting's first digit)",
                    31464 + zone
                )
            }
            _ => "e.g. \"EPSG:25832\" (ETRS89 / UTM zone 32N; \"EPSG:25833\" east of 12° E)".into(),
        };
        let names: Vec<&str> = [&EASTING_COLUMNS[..], &NORTHING_COLUMNS[..]]
            .iter()
            .filter_map(|names| self.alias(names).ok().flatten())
            .filter_map(|c| self.header_names().nth(c))
            .collect();
        format!(
            "this file has projected coordinates in metres (columns `{}`): set `[input] crs` to their coordinate system, {guess}",
            names.join("`, `")
        )
    }

    /// The WGS84 location of a row.
    pub fn location(&self, line: u64, row: &csv::StringRecord, columns: &LocationColumns) -> Result<Location, InputError> {
        let (c1, c2) = (columns.first, columns.second);
        let crs = columns.converter.crs();
        if crs == Crs::Wgs84 {
            let lat = self.number(line, row, c1, -90.0..=90.0, "a latitude in degrees between -90 and 90")?;
            let lon = self.number(line, row, c2, -180.0..=180.0, "a longitude in degrees between -180 and 180")?;
            return Ok(Location::new(lat, lon).expect("range checked above"));
        }
        let metres = |c| self.number(line, row, c, -1.0e8..=1.0e8, &format!("a coordinate in metres of {}", crs.name()));
        let (x, y) = (metres(c1)?, metres(c2)?);
        columns
            .converter
            .to_wgs84(x, y)
            .and_then(|(lat, lon)| Location::new(lat, lon))
            .ok_or_else(|| {
                self.bad(
                    line,
                    c1,
                    &format!("{x}, {y}"),
                    &format!("a point of {} (easting, northing in metres)", crs.name()),
                )
            })
    }
}
