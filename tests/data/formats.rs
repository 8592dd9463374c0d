//! Real and made-up files of UCDP GED, ICEWS (snake_case) and ACLED (2025 layout): detection,
//! event counts, and the actors' kinds, countries and the reasons recorded for them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use relmap::io::{Format, FormatChoice, LoadOptions, Loaded, Progress, load_path};
use relmap::model::{ActorKind, Dataset};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn load(name: &str, format: FormatChoice) -> Loaded {
    load_path(
        &fixture(name),
        &LoadOptions::format(format),
        &Progress::new(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// The ISO3 of an actor's country: its own, or its affiliation's.
fn country_of(ds: &Dataset, id: u32) -> Option<String> {
    let actor = ds.actors.get(id);
    if actor.kind == ActorKind::Country {
        return actor.iso3.clone();
    }
    let parent = ds.actors.get(actor.affiliation?);
    (parent.kind == ActorKind::Country)
        .then(|| parent.iso3.clone())
        .flatten()
}

/// Events per country, counting an event once for each country its actors belong to: the
/// hubs of the geographic map.
fn country_hubs(ds: &Dataset) -> HashMap<String, usize> {
    let mut hubs = HashMap::new();
    for e in 0..ds.len() as u32 {
        let mut seen: Vec<String> = ds
            .actors_of(e)
            .iter()
            .filter_map(|&a| country_of(ds, a))
            .collect();
        seen.sort();
        seen.dedup();
        for c in seen {
            *hubs.entry(c).or_default() += 1;
        }
    }
    hubs
}

#[test]
fn ucdp_syria_is_detected_and_iceland_is_nowhere() {
    let loaded = load("ucdp_ged_syria_excerpt.csv", FormatChoice::Auto);
    assert_eq!(loaded.format, Format::Ucdp);
    let ds = &loaded.dataset;
    assert_eq!(ds.len(), 400);
    assert_eq!(loaded.diagnostics.skipped, 0);
    for (id, actor) in ds.actors.iter() {
        assert_ne!(
            country_of(ds, id).as_deref(),
            Some("ISL"),
            "{} resolved to Iceland ({})",
            actor.name,
            ds.actors.why(id)
        );
    }
    let hubs = country_hubs(ds);
    let biggest = hubs.iter().max_by_key(|(_, n)| **n).unwrap();
    assert_eq!(biggest.0, "SYR", "{hubs:?}");
    let is = ds.actors.find_interned("IS").unwrap();
    assert_eq!(ds.actors.get(is).kind, ActorKind::Group);
    assert!(ds.actors.why(is).contains("no country guessed"));
    let iraq = ds.actors.find_interned("Government of Iraq").unwrap();
    assert_eq!(country_of(ds, iraq).as_deref(), Some("IRQ"));
    assert_eq!(ds.actors.get(iraq).kind, ActorKind::Organisation);
    let civilians = ds.actors.find_interned("Civilians (Syria)").unwrap();
    assert_eq!(country_of(ds, civilians).as_deref(), Some("SYR"));
    // Allied groups on one side are one actor each.
    assert!(ds.actors.find_interned("Jabhat Fateh al-Sham").is_some());
    assert!(
        ds.actors
            .find_interned("Ahrar al-Sham, Jabhat Fateh al-Sham")
            .is_none()
    );
    let deaths: u64 = ds.records.source_count.iter().map(|&c| u64::from(c)).sum();
    assert!(deaths > 400, "best is kept per event: {deaths}");
}

#[test]
fn ucdp_is_read_when_asked_for() {
    let loaded = load("ucdp_ged_syria_excerpt.csv", FormatChoice::Ucdp);
    assert_eq!((loaded.format, loaded.dataset.len()), (Format::Ucdp, 400));
}

#[test]
fn icews_snake_case_reads_like_the_classic_layout() {
    let loaded = load("icews_snake_case_excerpt.tsv", FormatChoice::Auto);
    assert_eq!(loaded.format, Format::Icews);
    let ds = &loaded.dataset;
    assert_eq!(ds.len() + loaded.diagnostics.skipped, 60);
    assert_eq!(
        loaded.diagnostics.skipped, 0,
        "{:?}",
        loaded.diagnostics.errors
    );
    let fa = ds
        .actors
        .find_interned("Foreign Affairs (Bangladesh)")
        .unwrap();
    assert_eq!(ds.actors.get(fa).kind, ActorKind::Organisation);
    assert_eq!(country_of(ds, fa).as_deref(), Some("BGD"));
    assert_eq!(ds.location(0), "Hanoi, Thanh Pho Ha Noi, Vietnam");
    assert!(ds.url(0).contains("Vietnam News Agency"));
    let forced = load("icews_snake_case_excerpt.tsv", FormatChoice::Icews);
    assert_eq!(forced.dataset.len(), ds.len());
}

#[test]
fn acled_2025_labels_give_kinds_and_countries() {
    let loaded = load("acled_2025_made_up.csv", FormatChoice::Auto);
    assert_eq!(loaded.format, Format::Acled);
    let ds = &loaded.dataset;
    assert_eq!(ds.len(), 7);
    let expect = [
        (
            "Military Forces of Sudan (2019-)",
            ActorKind::Organisation,
            Some("SDN"),
        ),
        ("Rapid Support Forces", ActorKind::Group, None),
        ("Protesters (India)", ActorKind::Group, Some("IND")),
        ("Rioters (Kenya)", ActorKind::Group, Some("KEN")),
        (
            "Police Forces of Kenya (2022-)",
            ActorKind::Organisation,
            Some("KEN"),
        ),
        ("Kyrgyz", ActorKind::Group, None),
        ("Civilians (Kyrgyzstan)", ActorKind::Group, Some("KGZ")),
        (
            "Police Forces of Mexico (2018-) Ministerial Federal Police",
            ActorKind::Organisation,
            Some("MEX"),
        ),
        ("Made-up Cartel", ActorKind::Group, None),
        (
            "Military Forces of Russia (2000-)",
            ActorKind::Other,
            Some("RUS"),
        ),
        ("IS", ActorKind::Group, None),
        (
            "Military Forces of Syria (2024-)",
            ActorKind::Organisation,
            Some("SYR"),
        ),
    ];
    for (name, kind, country) in expect {
        let id = ds
            .actors
            .find_interned(name)
            .unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!(ds.actors.get(id).kind, kind, "{name}");
        assert_eq!(country_of(ds, id).as_deref(), country, "{name}");
    }
    let rsf = ds.actors.find_interned("Rapid Support Forces").unwrap();
    assert_eq!(
        ds.actors.why(rsf),
        "ACLED inter2 'Rebel group' (rebel group) → group; no country in the name"
    );
    let police = ds
        .actors
        .find_interned("Police Forces of Mexico (2018-) Ministerial Federal Police")
        .unwrap();
    assert!(
        ds.actors
            .why(police)
            .ends_with("pattern '… Forces of X (years)' → Mexico"),
        "{}",
        ds.actors.why(police)
    );
}

/// ACLED's layout before 2023, with numeric interaction codes.
const ACLED_OLD_HEADER: &str = "data_id,iso,event_id_cnty,event_id_no_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,timestamp,iso3";

/// One made-up ACLED row in the layout of `header`.
fn acled_row(header: &str, inter1: &str, inter2: &str) -> String {
    header
        .split(',')
        .map(|column| match column {
            "event_id_cnty" => "X1",
            "event_date" => "2025-03-01",
            "event_type" => "Violence against civilians",
            "actor1" => "Made-up Rebels",
            "inter1" => inter1,
            "actor2" => "Civilians (Mali)",
            "inter2" => inter2,
            "country" => "Mali",
            "latitude" => "14.49",
            "longitude" => "-4.19",
            "fatalities" => "1",
            _ => "",
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[test]
fn acled_numeric_and_plural_interaction_codes_give_the_same_kinds() {
    let current = std::fs::read_to_string(fixture("acled_2025_made_up.csv")).unwrap();
    let current = current.lines().next().unwrap();
    let cases = [
        (ACLED_OLD_HEADER, "2", "7"),
        (current, "2", "7"),
        (current, "Rebel groups", "Civilians"),
        (current, "Rebel group", "Civilians"),
        (current, "REBEL GROUP", "civilians"),
    ];
    for (header, inter1, inter2) in cases {
        let text = format!("{header}\n{}\n", acled_row(header, inter1, inter2));
        let loaded =
            relmap::io::load_bytes(text.as_bytes(), Path::new("a.csv"), &LoadOptions::default())
                .unwrap();
        assert_eq!(loaded.format, Format::Acled);
        let ds = &loaded.dataset;
        let rebels = ds.actors.find_interned("Made-up Rebels").unwrap();
        assert_eq!(ds.actors.get(rebels).kind, ActorKind::Group, "{inter1}");
        let civilians = ds.actors.find_interned("Civilians (Mali)").unwrap();
        assert_eq!(ds.actors.get(civilians).kind, ActorKind::Group, "{inter2}");
        assert_eq!(country_of(ds, civilians).as_deref(), Some("MLI"));
        let why = ds.actors.why(rebels);
        if inter1 == "2" {
            assert!(
                why.starts_with("ACLED inter1 code 2 (rebel group)"),
                "{why}"
            );
        }
    }
}

#[test]
fn stats_actor_lines_say_why() {
    let loaded = load("ucdp_ged_syria_excerpt.csv", FormatChoice::Auto);
    let lines = relmap::cli::actor_lines(&loaded.dataset);
    let gov = lines
        .iter()
        .find(|l| l.name == "Government of Syria")
        .unwrap();
    assert_eq!(
        (gov.kind, gov.country, gov.iso3),
        ("organisation", "Syria", "SYR")
    );
    assert_eq!(gov.events, 347);
    assert_eq!(lines[0].name, "Government of Syria", "most events first");
    assert!(gov.why.contains("pattern 'Government of X'"), "{}", gov.why);
    let syria = lines.iter().find(|l| l.name == "Syria").unwrap();
    assert_eq!((syria.kind, syria.events), ("country", 0));
}

#[test]
fn damaged_ucdp_files_give_events_or_a_clear_error_never_a_panic() {
    let text = std::fs::read(fixture("ucdp_ged_syria_excerpt.csv")).unwrap();
    let text = &text[..text.len().min(12_000)];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..200 {
        let mut bytes = text.to_vec();
        // Cut it somewhere, then damage a few bytes (quotes, separators, line ends, garbage).
        bytes.truncate(bytes.len() - (next() as usize % (bytes.len() / 2)));
        let mut damaged = Vec::new();
        for _ in 0..(round % 8) {
            let at = next() as usize % bytes.len();
            damaged.push(at);
            bytes[at] = [b'"', b',', b'\n', b'\t', 0xff, b'x'][next() as usize % 6];
        }
        match relmap::io::load_bytes(
            &bytes,
            Path::new("damaged.csv"),
            &LoadOptions::format(FormatChoice::Ucdp),
        ) {
            Ok(loaded) => {
                let ds = &loaded.dataset;
                assert!(!ds.is_empty());
                for d in &loaded.diagnostics.errors {
                    assert!(
                        d.line >= 2 && d.column >= 1,
                        "{d:?} {damaged:?} {:?}",
                        damaged
                            .iter()
                            .map(|&a| String::from_utf8_lossy(
                                &bytes[a.saturating_sub(20)..(a + 20).min(bytes.len())]
                            )
                            .to_string())
                            .collect::<Vec<_>>()
                    );
                }
            }
            Err(e) => assert!(!e.message.is_empty()),
        }
    }
}

#[test]
fn codes_give_countries_only_in_code_columns_of_native_csv() {
    let text = "date,actor1,actor2,actor2_country\n\
                2025-01-01,BLR,Viktar Khrenin,BLR\n\
                2025-01-02,IS,Belarusian,\n\
                2025-01-03,Georgia,Niger,\n";
    let loaded =
        relmap::io::load_bytes(text.as_bytes(), Path::new("c.csv"), &LoadOptions::default())
            .unwrap();
    let ds = &loaded.dataset;
    let blr_name = ds.actors.find_interned("BLR").unwrap();
    assert_eq!(
        ds.actors.get(blr_name).kind,
        ActorKind::Other,
        "a code in a name column"
    );
    assert_eq!(ds.actors.why(blr_name), "no rule: kept as written");
    let person = ds.actors.find_interned("Viktar Khrenin").unwrap();
    assert_eq!(
        country_of(ds, person).as_deref(),
        Some("BLR"),
        "a code in a code column"
    );
    let belarus = ds.actors.find_interned("Belarusian").unwrap();
    assert_eq!(
        ds.actors.get(belarus).iso3.as_deref(),
        Some("BLR"),
        "a demonym in free text"
    );
    assert_eq!(
        ds.actors.get(ds.actors.find_interned("IS").unwrap()).iso3,
        None
    );
    let georgia = ds.actors.find_interned("Georgia").unwrap();
    assert_eq!(ds.actors.get(georgia).iso3.as_deref(), Some("GEO"));
    let niger = ds.actors.find_interned("Niger").unwrap();
    assert_eq!(ds.actors.get(niger).iso3.as_deref(), Some("NER"));
}
