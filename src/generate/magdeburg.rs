//! The Magdeburg-like preset: 33 primary schools named after schools and
//! quarters in public reporting (see `shared/BACKGROUND.md`), placed at
//! approximate quarter centres. The coordinates are plausible positions in
//! the named quarters, not the schools' surveyed addresses; several names
//! (marked `invented`) are made up to complete the set of 33.

use super::city::Quarter;

/// (school name, quarter, lat, lon, population weight, migration rate, home spread in m).
/// The first 11 are the schools reported under the 17-per-class rule for 2022/23.
const QUARTERS: &[(&str, &str, f64, f64, f64, f64, f64)] = &[
    ("GS Weitlingstraße", "Neue Neustadt", 52.1495, 11.6335, 1.2, 0.33, 500.0),
    ("GS Hegelstraße", "Altstadt", 52.1235, 11.6340, 1.1, 0.3, 500.0),
    ("GS Im Nordpark", "Alte Neustadt", 52.1415, 11.6375, 1.6, 0.28, 550.0),
    ("GS Moldenstraße", "Neue Neustadt West", 52.1535, 11.6265, 1.0, 0.34, 450.0),
    ("GS Am Umfassungsweg", "Neue Neustadt Nord", 52.1580, 11.6350, 0.9, 0.31, 450.0),
    ("GS Klosterwuhne", "Neu Olvenstedt", 52.1455, 11.5660, 1.0, 0.36, 600.0),
    ("GS Am Kannenstieg", "Kannenstieg", 52.1735, 11.6005, 0.9, 0.37, 500.0),
    ("GS Sudenburg", "Sudenburg", 52.1165, 11.6140, 1.3, 0.27, 600.0),
    ("GS Leipziger Straße", "Leipziger Straße", 52.1075, 11.6255, 1.1, 0.28, 550.0),
    ("GS Bertolt-Brecht-Straße", "Neustädter Feld", 52.1625, 11.5905, 1.3, 0.3, 550.0),
    ("GS Salbke", "Salbke", 52.0800, 11.6595, 0.8, 0.27, 700.0),
    ("GS Diesdorf", "Diesdorf", 52.1335, 11.5580, 1.3, 0.06, 800.0),
    ("GS Schmeilstraße", "Stadtfeld Ost", 52.1290, 11.6075, 1.5, 0.12, 500.0),
    ("GS Am Hopfengarten", "Hopfengarten", 52.0900, 11.6195, 1.2, 0.07, 700.0),
    ("GS Rothensee", "Rothensee", 52.1790, 11.6540, 0.7, 0.14, 900.0),
    ("GS Brückfeld", "Brückfeld", 52.1285, 11.6590, 0.9, 0.10, 600.0),
    ("GS Buckau", "Buckau", 52.1105, 11.6420, 1.0, 0.15, 550.0),
    ("GS Westerhüsen", "Westerhüsen", 52.0655, 11.6705, 0.6, 0.08, 800.0),
    ("GS Am Westring", "Stadtfeld West", 52.1265, 11.5855, 1.5, 0.09, 600.0),
    ("GS Ottersleben", "Ottersleben", 52.0925, 11.5790, 1.0, 0.04, 900.0),
    ("GS Am Pechauer Platz", "Cracau", 52.1225, 11.6715, 1.0, 0.09, 650.0),
    ("GS Reform (invented)", "Reform", 52.0975, 11.6060, 1.1, 0.11, 550.0),
    ("GS Lemsdorf (invented)", "Lemsdorf", 52.1035, 11.5960, 0.7, 0.10, 600.0),
    ("GS Fermersleben (invented)", "Fermersleben", 52.0955, 11.6490, 0.7, 0.16, 600.0),
    ("GS Neustädter See (invented)", "Neustädter See", 52.1705, 11.6160, 0.9, 0.24, 500.0),
    ("GS Nordwest (invented)", "Nordwest", 52.1525, 11.6050, 1.0, 0.13, 550.0),
    ("GS Annastraße (invented)", "Stadtfeld Ost Nord", 52.1340, 11.6150, 1.2, 0.22, 450.0),
    ("GS Alt Olvenstedt (invented)", "Olvenstedt", 52.1560, 11.5560, 0.7, 0.07, 800.0),
    ("GS Prester (invented)", "Prester", 52.1135, 11.6760, 0.5, 0.06, 700.0),
    ("GS Herrenkrug (invented)", "Herrenkrug", 52.1455, 11.6760, 0.4, 0.08, 700.0),
    (
        "GS Beyendorfer Grund (invented)",
        "Beyendorf-Sohlen",
        52.0760,
        11.6140,
        0.5,
        0.05,
        900.0,
    ),
    ("GS Werder (invented)", "Werder", 52.1290, 11.6470, 0.5, 0.12, 400.0),
    (
        "GS Nicolaiplatz (invented)",
        "Alte Neustadt Süd",
        52.1410,
        11.6260,
        1.1,
        0.24,
        450.0,
    ),
];

/// The quarters of the Magdeburg-like city, one school each.
pub fn quarters() -> Vec<Quarter> {
    QUARTERS
        .iter()
        .map(|&(school, quarter, lat, lon, weight, migration_rate, spread_m)| Quarter {
            school_name: school.to_string(),
            quarter_name: quarter.to_string(),
            lat,
            lon,
            weight,
            migration_rate,
            spread_m,
            town: 0,
        })
        .collect()
}
