//! Identifiers as small types, so that a pupil id can never be passed where a
//! school id is expected.

use std::fmt;

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The id as written in the input file.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_string())
            }
        }
    };
}

string_id!(
    /// A school's id, column `school_id` of `schools.csv`.
    SchoolId
);
string_id!(
    /// A pupil's id, column `pupil_id` of `pupils.csv`.
    PupilId
);
string_id!(
    /// An assignable unit (a street section), column `unit_id` of `pupils.csv`.
    UnitId
);
