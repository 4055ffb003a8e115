//! Readers for the input files and atomic writers for the outputs.
//!
//! Every reader validates at the boundary and reports the file, the line and
//! what to fix; nothing past this layer sees unchecked data.

mod assignments_csv;
mod atomic;
mod baseline_csv;
mod bylaw_csv;
pub mod changes;
mod dialect;
mod districts_geojson;
mod error;
mod evaluation_out;
mod look_alike;
mod output_set;
mod pupils_csv;
mod results;
mod scenario_toml;
mod schools_csv;
pub mod source;
mod table;

pub use assignments_csv::{parse_assignments, parse_declared_classes, read_assignments, read_declared_classes};
pub use atomic::{
    FolderLock, LOCK_WAIT, PRIVATE_MODE, Privacy, SHARED_MODE, TEMP_PREFIX, ensure_regular_or_new, write_atomically, write_atomically_with,
};
pub use baseline_csv::{parse_baseline, read_baseline};
pub use bylaw_csv::{bylaw_csv, natural_cmp};
pub use dialect::InputDialect;
pub use districts_geojson::{districts_geojson, parse_area, parse_district_plan, read_area, read_district_plan};
pub use error::{InputError, InputWarning, OutputError};
pub use evaluation_out::{evaluation_files, write_evaluation_outputs};
pub use output_set::{
    MANIFEST, Manifest, ManifestFile, ManifestSet, OutputDir, OutputFile, OutputKind, WrittenSet, read_manifest, recover_output_dir,
};
pub use pupils_csv::{parse_pupils, read_pupils};
pub use results::{DISTANCE_DECIMALS, assignments_csv, csv_bytes, distance_text, json_bytes, solve_files, units_csv, write_solve_outputs};
pub use scenario_toml::{
    LoadedScenario, ResolvedScenario, ScenarioFile, load_scenario, load_scenario_with_districts, load_scenario_without_districts,
    parse_scenario_file, read_scenario_file, resolve_scenario,
};
pub use schools_csv::{parse_schools, read_schools};
pub use source::{InputBytes, InputFiles, InputKind, MAX_CSV_BYTES, MAX_GEOJSON_BYTES, MAX_SCENARIO_BYTES, read_input};
pub use table::sha256_hex;
