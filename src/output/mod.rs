//! Writers for the outputs: every file rendered from results computed
//! before, written atomically and as one set (see [`output_set`]), with
//! the permissions its content calls for. Nothing here decides or computes
//! a result; the readers are in [`crate::input`].

mod add_to_set;
mod atomic;
mod bylaw_csv;
mod districts_geojson;
mod error;
mod evaluation_out;
mod office_csv;
mod output_set;
mod results;
mod results_xlsx;
mod sweep_run;
mod way_cache_out;

pub use add_to_set::add_to_set;
pub use atomic::{
    FolderLock, LOCK_WAIT, PRIVATE_MODE, Privacy, SHARED_MODE, TEMP_PREFIX, ensure_regular_or_new, write_atomically, write_atomically_with,
};
pub use bylaw_csv::{bylaw_csv, bylaw_markdown};
pub use districts_geojson::districts_geojson;
pub use error::OutputError;
pub use evaluation_out::{OfficeOptions, evaluation_files, with_office, write_evaluation_outputs, write_evaluation_outputs_in};
pub use office_csv::{excel_de_csv, in_dialect};
pub use output_set::{
    MANIFEST, Manifest, ManifestFile, ManifestSet, OutputDir, OutputFile, OutputKind, WrittenSet, read_manifest, recover_output_dir,
};
pub use results::{DISTANCE_DECIMALS, assignments_csv, csv_bytes, distance_text, json_bytes, solve_files, units_csv, write_solve_outputs};
pub use results_xlsx::{RESULTS_XLSX, results_xlsx};
pub use sweep_run::{PointResult, SWEEP_CSV, SWEEP_MARKER, SweepRunError, run_sweep, sweep_header, sweep_row, sweep_text, write_sweep_csv};
pub use way_cache_out::store_way_cache;
