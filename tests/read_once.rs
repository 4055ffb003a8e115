//! Every input is read once: the bytes parsed are the bytes hashed. A
//! scenario file replaced again and again (atomically, by rename) while it
//! is loaded must give, every time, the name, the rules and the SHA-256 of
//! one and the same version; it used to be read three times, and loads mixed
//! the name and hash of one version with the class size of the other.

mod common;

use catchment::input::{InputDialect, parse_schools, read_schools, sha256_hex};
use catchment::scenario::load_scenario_with_districts;
use common::fixture;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[test]
fn a_scenario_replaced_during_loads_never_mixes_two_versions() {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["schools.csv", "pupils.csv"] {
        std::fs::copy(fixture("small").join(name), tmp.path().join(name)).unwrap();
    }
    let version = |name: &str, class_size: u32| {
        format!("name = \"{name}\"\nschools = \"schools.csv\"\npupils = \"pupils.csv\"\n[rules]\nclass_size = {class_size}\n")
    };
    let versions = [("A", 22, version("A", 22)), ("B", 20, version("B", 20))];
    let scenario = tmp.path().join("scenario.toml");
    std::fs::write(&scenario, &versions[0].2).unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (stop, dir, texts) = (
            Arc::clone(&stop),
            tmp.path().to_path_buf(),
            [versions[0].2.clone(), versions[1].2.clone()],
        );
        std::thread::spawn(move || {
            let mut swaps = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let next = dir.join("next.toml");
                std::fs::write(&next, &texts[(swaps % 2) as usize]).unwrap();
                std::fs::rename(&next, dir.join("scenario.toml")).unwrap();
                swaps += 1;
            }
            swaps
        })
    };
    let mut seen = [0usize; 2];
    for _ in 0..2_000 {
        let loaded = load_scenario_with_districts(&scenario).unwrap();
        let instance = &loaded.instance;
        let sha = &instance.sources[0].sha256;
        let which = versions
            .iter()
            .position(|(name, class_size, text)| {
                instance.name == *name && instance.rules.class_size == *class_size && *sha == sha256_hex(text.as_bytes())
            })
            .unwrap_or_else(|| {
                panic!(
                    "mixed versions: name {}, class_size {}, sha256 {sha}",
                    instance.name, instance.rules.class_size
                )
            });
        seen[which] += 1;
    }
    stop.store(true, Ordering::Relaxed);
    let swaps = writer.join().unwrap();
    assert!(swaps > 100, "the file was replaced only {swaps} times");
    assert!(seen[0] > 0 && seen[1] > 0, "both versions loaded: {seen:?}");
}

#[test]
fn parsing_bytes_and_reading_the_file_agree() {
    let path = fixture("small").join("schools.csv");
    let bytes = std::fs::read(&path).unwrap();
    let dialect = InputDialect::default();
    let (from_bytes, warnings) = parse_schools(&bytes, &path, &dialect).unwrap();
    let (from_file, source) = read_schools(&path, &dialect).unwrap();
    assert_eq!(from_bytes, from_file);
    assert!(warnings.is_empty());
    assert_eq!(source.sha256, sha256_hex(&bytes));
    assert_eq!(from_file.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["A", "B"]);
}
