//! The input dialect shared by all CSV readers (table `[input]` of a scenario):
//! separator, decimal mark, encoding, coordinate system, and the
//! plausibility check of the locations.
//!
//! Every key is optional: a separator, decimal mark or encoding not given
//! is detected from each file (see [`super::csv_text`]); a key given
//! overrides the detection for every file of the scenario.

use super::crs::Crs;
use crate::model::SettingProblem;
use serde::{Deserialize, Serialize};

/// Default of `[input] outlier_distance_m`: a home or school further than
/// this from the median of all locations and from every other location is
/// reported as implausible.
pub const DEFAULT_OUTLIER_DISTANCE_M: f64 = 30_000.0;

/// How the CSV inputs are written. One value serves every reader.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InputDialect {
    /// Field separator, one ASCII character; `None`: detected per file
    /// (`,`, `;` or tab, whichever the header line holds most of).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<char>,
    /// Decimal mark, `.` or `,`; `None`: both are read (`52,13` and `52.13`;
    /// numbers never have thousands separators).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decimal: Option<char>,
    /// Text encoding: `utf-8` or `windows-1252` (also `latin-1`,
    /// `iso-8859-1`); `None`: UTF-8 (with or without BOM) when the bytes are
    /// UTF-8, else Windows-1252.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// Coordinate system of the locations, `EPSG:4326` (default: columns
    /// `lat,lon`) or a projected one (columns `x,y`; see [`Crs`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crs: Option<String>,
    /// An address register (house coordinates: `street,house_number`,
    /// optional `postcode`, coordinates), relative to the scenario file
    /// that names it; pupils without coordinates are placed by address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addresses: Option<std::path::PathBuf>,
    /// The sheet of spreadsheet inputs (`.xlsx`, `.ods`); `None`: the first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Read locations that look implausible (far from all others, or
    /// latitude and longitude apparently swapped) instead of refusing them.
    pub allow_outliers: bool,
    /// How far (metres) a location may lie from the median of all locations
    /// and from every other location before it is reported.
    pub outlier_distance_m: f64,
}

impl Default for InputDialect {
    fn default() -> Self {
        Self {
            delimiter: None,
            decimal: None,
            encoding: None,
            crs: None,
            sheet: None,
            addresses: None,
            allow_outliers: false,
            outlier_distance_m: DEFAULT_OUTLIER_DISTANCE_M,
        }
    }
}

/// A text encoding the readers decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8, with or without byte order mark.
    Utf8,
    /// Windows-1252 (a superset of Latin-1's printable characters), as German Excel saves "CSV".
    Windows1252,
}

impl TextEncoding {
    /// The encoding a `[input] encoding` value names, if any.
    pub fn from_label(label: &str) -> Option<Self> {
        match label.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Some(Self::Utf8),
            "windows-1252" | "cp1252" | "latin-1" | "latin1" | "iso-8859-1" => Some(Self::Windows1252),
            _ => None,
        }
    }

    /// The name written in messages and accepted in `[input] encoding`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Utf8 => "utf-8",
            Self::Windows1252 => "windows-1252",
        }
    }
}

impl InputDialect {
    /// Checks every key of `[input]`: a delimiter that can separate fields,
    /// a known decimal mark, encoding and coordinate system, a positive
    /// outlier distance.
    pub fn check(&self) -> Result<(), SettingProblem> {
        if let Some(d) = self.delimiter
            && (!d.is_ascii() || matches!(d, '"' | '\n' | '\r'))
        {
            return Err(problem(
                "delimiter",
                format!(
                    "delimiter = {d:?} cannot separate fields; use one ASCII character that is not a quote or a line break, e.g. \",\" or \";\""
                ),
            ));
        }
        if let Some(d) = self.decimal
            && !matches!(d, '.' | ',')
        {
            return Err(problem(
                "decimal",
                format!("decimal = {d:?} is not a decimal mark; use \".\" or \",\""),
            ));
        }
        if let (Some(d), Some(sep)) = (self.decimal, self.delimiter)
            && d == sep
        {
            return Err(problem(
                "decimal",
                format!("decimal = {d:?} is also the delimiter; with decimal commas set delimiter = \";\""),
            ));
        }
        if let Some(label) = &self.encoding
            && TextEncoding::from_label(label).is_none()
        {
            return Err(problem(
                "encoding",
                format!("encoding = {label:?} is not known; use \"utf-8\" or \"windows-1252\" (also \"latin-1\")"),
            ));
        }
        if let Some(name) = &self.crs {
            Crs::from_name(name).map_err(|message| problem("crs", message))?;
        }
        if !(self.outlier_distance_m.is_finite() && self.outlier_distance_m > 0.0) {
            return Err(problem(
                "outlier_distance_m",
                format!(
                    "outlier_distance_m = {} must be a finite distance above 0 m, e.g. 30000",
                    self.outlier_distance_m
                ),
            ));
        }
        Ok(())
    }

    /// The encoding set by `[input] encoding`, `None` to detect it.
    pub fn text_encoding(&self) -> Option<TextEncoding> {
        self.encoding.as_deref().and_then(TextEncoding::from_label)
    }

    /// The coordinate system of the locations (EPSG:4326 when not set).
    pub fn coordinate_system(&self) -> Crs {
        self.crs.as_deref().and_then(|name| Crs::from_name(name).ok()).unwrap_or_default()
    }
}

fn problem(key: &'static str, message: String) -> SettingProblem {
    SettingProblem { keys: vec![key], message }
}

/// How the CSV outputs are written (table `[output]` of a scenario).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum OutputDialect {
    /// Comma-separated, decimal points, UTF-8 without BOM, LF (the default).
    #[default]
    #[serde(rename = "csv")]
    Csv,
    /// As a German Excel opens it: semicolons, decimal commas, UTF-8 with BOM, CRLF.
    #[serde(rename = "excel-de")]
    ExcelDe,
}

/// Table `[output]` of a scenario.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutputSettings {
    /// The CSV dialect of `assignments.csv`, `schools.csv` and the other tables.
    pub dialect: OutputDialect,
}
