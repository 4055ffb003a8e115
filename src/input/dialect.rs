//! The input dialect shared by all CSV readers (table `[input]` of a scenario).

use crate::model::SettingProblem;
use serde::{Deserialize, Serialize};

/// How the CSV inputs are written. One value serves every reader.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InputDialect {
    /// Field separator, one ASCII character (default `,`; German spreadsheets often use `;`).
    pub delimiter: char,
}

impl Default for InputDialect {
    fn default() -> Self {
        Self { delimiter: ',' }
    }
}

impl InputDialect {
    /// Checks that the delimiter can separate fields: one ASCII character,
    /// not a quote and not a line break.
    pub fn check(&self) -> Result<(), SettingProblem> {
        let d = self.delimiter;
        if d.is_ascii() && !matches!(d, '"' | '\n' | '\r') {
            return Ok(());
        }
        Err(SettingProblem {
            keys: vec!["delimiter"],
            message: format!(
                "delimiter = {d:?} cannot separate fields; use one ASCII character that is not a quote or a line break, e.g. \",\" or \";\""
            ),
        })
    }

    /// A CSV reader builder configured for this dialect.
    pub fn reader_builder(&self) -> csv::ReaderBuilder {
        let mut builder = csv::ReaderBuilder::new();
        builder
            .delimiter(self.delimiter as u8)
            .trim(csv::Trim::All)
            .comment(None)
            .flexible(false);
        builder
    }
}
