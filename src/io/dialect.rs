//! The input dialect shared by all CSV readers (table `[input]` of a scenario).

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
