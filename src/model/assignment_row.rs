//! An assignment as written in a file: ids, not indices.

/// One row of an assignment to check: the pupil and school ids as written.
#[derive(Debug, Clone, PartialEq)]
pub struct AssignmentRow {
    /// Line in the assignments file (0 when the row did not come from a file).
    pub line: u64,
    /// The pupil id.
    pub pupil_id: String,
    /// The school id.
    pub school_id: String,
    /// The distance the file states, if it has the column.
    pub distance_m: Option<f64>,
}
