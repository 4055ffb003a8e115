//! The text of a CSV file as offices write it: decoded (UTF-8 with or
//! without BOM, Windows-1252), its separator and decimal mark detected, and
//! the sentence that names the `[input]` keys when a file looks written in
//! another dialect than the one set.

use super::InputError;
use super::dialect::{InputDialect, TextEncoding};
use std::borrow::Cow;
use std::path::Path;

/// How much of a file's start is looked at to detect its dialect.
const SNIFF_BYTES: usize = 64 * 1024;

/// Separators that are detected (others can be set with `[input] delimiter`).
const DETECTED_DELIMITERS: [char; 3] = [',', ';', '\t'];

/// The dialect a file is read with, each part set or detected.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FileDialect {
    /// Field separator.
    pub delimiter: char,
    /// Decimal mark: `Some` as set; `None` reads both `.` and a single `,`.
    pub decimal: Option<char>,
    /// The encoding the bytes were decoded from.
    pub encoding: TextEncoding,
}

/// What a file's text looks like, whatever was set.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sniffed {
    /// The separator the header line holds most of (`,` on a tie or none).
    pub delimiter: char,
    /// Some field of the first lines is a number with a decimal comma.
    pub decimal_comma: bool,
}

/// Decodes the bytes of `path` by `[input] encoding` (detected when not
/// set) and picks the separator; returns the text (without a BOM), the
/// dialect used, and what the file looks like.
pub(crate) fn decode<'b>(bytes: &'b [u8], path: &Path, dialect: &InputDialect) -> Result<(Cow<'b, str>, FileDialect, Sniffed), InputError> {
    let without_bom = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let utf8 = std::str::from_utf8(without_bom);
    let (text, encoding) = match (dialect.text_encoding(), utf8) {
        (Some(TextEncoding::Windows1252), _) => (
            encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0,
            TextEncoding::Windows1252,
        ),
        (_, Ok(text)) => (Cow::Borrowed(text), TextEncoding::Utf8),
        (None, Err(_)) => (
            encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0,
            TextEncoding::Windows1252,
        ),
        (Some(TextEncoding::Utf8), Err(e)) => return Err(not_utf8(path, without_bom, e.valid_up_to())),
    };
    let sniffed = sniff(&text);
    let file = FileDialect {
        delimiter: dialect.delimiter.unwrap_or(sniffed.delimiter),
        decimal: dialect.decimal,
        encoding,
    };
    Ok((text, file, sniffed))
}

/// The error for `encoding = "utf-8"` and bytes that are not.
fn not_utf8(path: &Path, bytes: &[u8], valid_up_to: usize) -> InputError {
    let line = bytes[..valid_up_to].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    InputError::Dialect {
        path: path.to_path_buf(),
        line,
        problem: format!("byte {:#04x} is not UTF-8 text", bytes[valid_up_to]),
        fix: "this file looks Windows-1252 encoded (as German Excel saves CSV): set `[input] encoding = \"windows-1252\"` (or remove `encoding` to detect it)".into(),
    }
}

/// What the start of `text` looks like.
fn sniff(text: &str) -> Sniffed {
    let mut end = text.len().min(SNIFF_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    let header = head.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = DETECTED_DELIMITERS
        .iter()
        .copied()
        .max_by_key(|&d| (count_outside_quotes(header, d), std::cmp::Reverse(d == ',')))
        .filter(|&d| count_outside_quotes(header, d) > 0)
        .unwrap_or(',');
    let decimal_comma = delimiter != ','
        && head
            .lines()
            .skip(1)
            .flat_map(|line| line.split(delimiter))
            .any(|field| is_decimal_comma_number(field.trim().trim_matches('"')));
    Sniffed { delimiter, decimal_comma }
}

/// How often `c` occurs in `line` outside double quotes.
fn count_outside_quotes(line: &str, c: char) -> usize {
    let mut quoted = false;
    let mut count = 0;
    for ch in line.chars() {
        if ch == '"' {
            quoted = !quoted;
        } else if ch == c && !quoted {
            count += 1;
        }
    }
    count
}

/// `52,13` or `-0,5`: digits, one comma, digits.
fn is_decimal_comma_number(field: &str) -> bool {
    let digits = field.strip_prefix('-').unwrap_or(field);
    match digits.split_once(',') {
        Some((a, b)) => !a.is_empty() && !b.is_empty() && a.bytes().all(|c| c.is_ascii_digit()) && b.bytes().all(|c| c.is_ascii_digit()),
        None => false,
    }
}

/// A number as written with the decimal mark `decimal` (`None`: `.` or a
/// single `,`); `None` when it is not one.
pub(crate) fn parse_number(text: &str, decimal: Option<char>) -> Option<f64> {
    let has_comma = text.contains(',');
    let normalised: Cow<str> = match decimal {
        Some('.') if has_comma => return None,
        Some(',') if text.contains('.') => return None,
        _ if has_comma && (text.contains('.') || text.matches(',').count() > 1) => return None,
        _ if has_comma => Cow::Owned(text.replacen(',', ".", 1)),
        _ => Cow::Borrowed(text),
    };
    normalised.parse::<f64>().ok()
}

/// The sentence naming the `[input]` keys that would read the file as it
/// looks, when that differs from the dialect used; `None` otherwise.
pub(crate) fn dialect_fix(used: &FileDialect, sniffed: &Sniffed) -> Option<String> {
    let delimiter_differs = used.delimiter != sniffed.delimiter;
    let decimal_differs = sniffed.decimal_comma && used.decimal == Some('.');
    if !delimiter_differs && !decimal_differs {
        return None;
    }
    let mut looks = format!("this file looks {}", delimiter_name(sniffed.delimiter));
    let mut keys = Vec::new();
    if delimiter_differs {
        keys.push(format!("`[input] delimiter = {}`", delimiter_toml(sniffed.delimiter)));
    }
    if sniffed.decimal_comma {
        looks.push_str(" with decimal commas");
        if used.decimal != Some(',') {
            keys.push("`decimal = \",\"`".into());
        }
    }
    let keys = if keys.is_empty() {
        "remove `delimiter` and `decimal` from `[input]` to detect them".to_string()
    } else {
        keys.join(" and ")
    };
    Some(format!("{looks}: set {keys}"))
}

fn delimiter_name(d: char) -> String {
    match d {
        ',' => "comma-separated".into(),
        ';' => "semicolon-separated".into(),
        '\t' => "tab-separated".into(),
        other => format!("separated by `{other}`"),
    }
}

fn delimiter_toml(d: char) -> String {
    match d {
        '\t' => "\"\\t\"".into(),
        other => format!("\"{other}\""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_with_either_mark() {
        assert_eq!(parse_number("52,13", None), Some(52.13));
        assert_eq!(parse_number("52.13", None), Some(52.13));
        assert_eq!(parse_number("-0,5", Some(',')), Some(-0.5));
        assert_eq!(parse_number("52,13", Some('.')), None);
        assert_eq!(parse_number("52.13", Some(',')), None);
        assert_eq!(parse_number("1.234,5", None), None);
        assert_eq!(parse_number("1,234,5", None), None);
    }

    #[test]
    fn the_header_decides_the_separator() {
        assert_eq!(sniff("a;b;c\n1,5;2;3\n").delimiter, ';');
        assert!(sniff("a;b;c\n1,5;2;3\n").decimal_comma);
        assert_eq!(sniff("a\tb\n1\t2\n").delimiter, '\t');
        assert_eq!(sniff("\"a;b\",c\n").delimiter, ',');
        assert_eq!(sniff("abc\n").delimiter, ',');
        assert!(!sniff("a,b\n\"1,5\",2\n").decimal_comma);
    }

    #[test]
    fn the_fix_names_the_keys() {
        let used = FileDialect {
            delimiter: ',',
            decimal: Some('.'),
            encoding: TextEncoding::Utf8,
        };
        let sniffed = Sniffed {
            delimiter: ';',
            decimal_comma: true,
        };
        assert_eq!(
            dialect_fix(&used, &sniffed).unwrap(),
            "this file looks semicolon-separated with decimal commas: set `[input] delimiter = \";\"` and `decimal = \",\"`"
        );
    }
}
