//! Readers for the input files: parsing and validation only.
//!
//! Every reader reads its file once (a regular file within a size limit),
//! validates at the boundary and reports the file, the line and what to
//! fix; nothing past this layer sees unchecked data. The writers are in
//! [`crate::output`].

mod addresses;
mod assignments_csv;
mod baseline_csv;
mod bylaw_plan;
pub mod changes;
pub mod crs;
mod csv_text;
mod dialect;
pub mod distance_settings;
mod districts_geojson;
mod error;
mod locations;
mod look_alike;
pub mod osm;
mod plausibility;
mod pupils_csv;
mod rooms_csv;
mod scenario_toml;
mod schools_csv;
mod siblings_csv;
pub mod source;
mod spreadsheet;
mod table;
mod way_matrix_csv;
mod years_result;

pub use crate::model::sha256_hex;
pub use addresses::{AddressRegister, normalise_number, normalise_street, parse_address_register};
pub use assignments_csv::{parse_assignments, parse_declared_classes, read_assignments, read_declared_classes};
pub use baseline_csv::{parse_baseline, read_baseline};
pub use bylaw_plan::parse_bylaw_plan;
pub use dialect::{DEFAULT_OUTLIER_DISTANCE_M, InputDialect, OutputDialect, OutputSettings, TextEncoding};
pub use distance_settings::{DistanceSettings, DistanceTable};
pub(crate) use districts_geojson::id_list;
pub use districts_geojson::{parse_area, parse_district_plan, read_area, read_district_plan};
pub use error::{InputError, InputWarning};
pub use locations::{EASTING_COLUMNS, NORTHING_COLUMNS};
pub use plausibility::check_locations;
pub use pupils_csv::{parse_pupils, parse_pupils_with, read_pupils};
pub use rooms_csv::{older_grade_column, parse_rooms};
pub(crate) use scenario_toml::resolve_with;
pub use scenario_toml::{ResolvedScenario, ScenarioFile, YearEntry, parse_scenario_file, read_scenario_file, resolve_scenario};
pub use schools_csv::{parse_schools, read_schools};
pub use siblings_csv::{SIBLING_ID_COLUMN, SiblingRef, parse_sibling_ids};
pub use source::{InputBytes, InputFiles, InputKind, MAX_CSV_BYTES, MAX_GEOJSON_BYTES, MAX_SCENARIO_BYTES, read_input};
pub use spreadsheet::SPREADSHEET_EXTENSIONS;
pub use way_matrix_csv::{MAX_MATRIX_DISTANCE_M, parse_way_matrix};
pub use years_result::{OpenedClasses, StatedSummary, parse_years_table, read_years_summary, read_years_table};
