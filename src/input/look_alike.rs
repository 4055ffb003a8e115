//! Ids that differ only by case or by invisible characters (`p1` and `P1`,
//! `GS01` and `GS01` with a zero-width space): different ids to the
//! program, almost surely one id to whoever typed them. Reported as a
//! warning listing them; never merged.

use super::InputWarning;
use std::collections::HashMap;
use std::path::Path;

/// Groups shown in one warning; the rest are counted.
const SHOWN_GROUPS: usize = 10;

/// Characters that take no room when shown: zero-width spaces and joiners,
/// the byte order mark, the soft hyphen, direction marks.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// The id as it is compared: invisible characters dropped, lower case.
fn folded(id: &str) -> String {
    id.chars().filter(|&c| !is_invisible(c)).flat_map(char::to_lowercase).collect()
}

/// The id for a message: invisible and control characters written as `\u{..}`.
pub(crate) fn shown(id: &str) -> String {
    id.chars()
        .map(|c| {
            if is_invisible(c) || c.is_control() {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A warning for the ids of `column` (with their lines, in file order; an
/// id may repeat, e.g. a unit) that differ only by case or by invisible
/// characters, or `None` when there are none.
pub(crate) fn look_alike_ids<'a>(path: &Path, column: &str, ids: impl IntoIterator<Item = (&'a str, u64)>) -> Option<InputWarning> {
    let mut first_line: HashMap<&str, u64> = HashMap::new();
    let mut by_fold: HashMap<String, Vec<(&str, u64)>> = HashMap::new();
    for (id, line) in ids {
        if first_line.contains_key(id) {
            continue;
        }
        first_line.insert(id, line);
        by_fold.entry(folded(id)).or_default().push((id, line));
    }
    let mut groups: Vec<Vec<(&str, u64)>> = by_fold.into_values().filter(|g| g.len() > 1).collect();
    if groups.is_empty() {
        return None;
    }
    groups.sort_by_key(|g| g[0].1);
    let listed: Vec<String> = groups.iter().take(SHOWN_GROUPS).map(|g| group_text(g)).collect();
    let more = match groups.len().saturating_sub(SHOWN_GROUPS) {
        0 => String::new(),
        n => format!("; and {n} more groups"),
    };
    Some(InputWarning {
        path: path.to_path_buf(),
        message: format!(
            "{column} values that differ only by case or by invisible characters: {}{more}; they are read as different ids, correct them if they mean the same",
            listed.join("; ")
        ),
    })
}

/// "`a` (line 2), `A` (line 5) and `a\u{200b}` (line 9)".
fn group_text(group: &[(&str, u64)]) -> String {
    let items: Vec<String> = group.iter().map(|(id, line)| format!("`{}` (line {line})", shown(id))).collect();
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => items.join(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_case_and_invisible_look_alikes_in_file_order() {
        let ids = [
            ("p1", 2),
            ("q", 3),
            ("P1", 4),
            ("q\u{200b}", 5),
            ("p1", 6),
            ("r", 7),
            ("p\u{feff}1", 8),
        ];
        let warning = look_alike_ids(Path::new("x.csv"), "pupil_id", ids).unwrap();
        assert_eq!(
            warning.message,
            "pupil_id values that differ only by case or by invisible characters: `p1` (line 2), `P1` (line 4) and `p\\u{feff}1` (line 8); `q` (line 3) and `q\\u{200b}` (line 5); they are read as different ids, correct them if they mean the same"
        );
        assert_eq!(warning.to_string(), format!("x.csv: {}", warning.message));
    }

    #[test]
    fn distinct_ids_and_repeats_of_one_id_give_no_warning() {
        assert_eq!(look_alike_ids(Path::new("x"), "unit_id", [("u1", 2), ("u1", 3), ("u2", 4)]), None);
    }

    #[test]
    fn shows_at_most_ten_groups() {
        let ids: Vec<(String, u64)> = (0..12u64)
            .flat_map(|i| [(format!("a{i}"), 2 * i), (format!("A{i}"), 2 * i + 1)])
            .collect();
        let warning = look_alike_ids(Path::new("x"), "school_id", ids.iter().map(|(s, l)| (s.as_str(), *l))).unwrap();
        assert!(
            warning.message.contains("`a9` (line 18) and `A9` (line 19); and 2 more groups"),
            "{}",
            warning.message
        );
        assert!(!warning.message.contains("a10"));
    }
}
