//! The extractor's evaluation as a regression guard: the dev articles and the seed article
//! scored as `benches/tools/score_extract.py` scores them (one-to-one matching; an actor
//! matches by name, surname or country; a date at the gold date's precision), with floors
//! a little under today's figures so that a change that loses events fails here.

use std::path::{Path, PathBuf};

use relmap::extract::{ExtractOptions, extract};
use relmap::model::{CountryTable, PartialDate};

struct Side {
    name: String,
    person: bool,
    country: Option<String>,
}

struct Labelled {
    sides: [Side; 2],
    date: PartialDate,
    class: String,
}

fn country_key(name: &str) -> String {
    CountryTable::bundled()
        .resolve_name(name)
        .map(|m| m.country.iso3.clone())
        .unwrap_or_else(|| name.trim().to_lowercase())
}

fn side(name: &str, kind: &str, country: &str) -> Side {
    let country = if !country.is_empty() {
        Some(country_key(country))
    } else if kind == "country" {
        Some(country_key(name))
    } else {
        None
    };
    Side {
        name: name.trim().to_lowercase(),
        person: kind == "person",
        country,
    }
}

fn matches(a: &Side, b: &Side) -> bool {
    a.name == b.name
        || (a.person && b.person && a.name.split(' ').next_back() == b.name.split(' ').next_back())
        || (a.country.is_some() && a.country == b.country)
}

fn read_gold(path: &Path) -> Vec<Labelled> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().clone();
    let col = |row: &csv::StringRecord, name: &str| -> String {
        header
            .iter()
            .position(|h| h == name)
            .and_then(|i| row.get(i))
            .unwrap_or("")
            .to_string()
    };
    reader
        .records()
        .map(|row| {
            let row = row.unwrap();
            Labelled {
                sides: [
                    side(
                        &col(&row, "actor1"),
                        &col(&row, "actor1_kind"),
                        &col(&row, "actor1_country"),
                    ),
                    side(
                        &col(&row, "actor2"),
                        &col(&row, "actor2_kind"),
                        &col(&row, "actor2_country"),
                    ),
                ],
                date: PartialDate::parse(&col(&row, "date")).unwrap(),
                class: col(&row, "class"),
            }
        })
        .collect()
}

fn predict(article: &Path) -> Vec<Labelled> {
    let text = std::fs::read_to_string(article).unwrap();
    extract(&text, &ExtractOptions::default())
        .candidates
        .iter()
        .map(|c| Labelled {
            sides: [0, 1].map(|i| {
                let a = &c.actors[i];
                side(&a.name, a.kind.label(), a.country.as_deref().unwrap_or(""))
            }),
            date: c.date,
            class: c.class.label().to_string(),
        })
        .collect()
}

/// Pair + date (+ class): both actors in either order, the date at the gold's precision.
fn event_matches(p: &Labelled, g: &Labelled, with_class: bool) -> bool {
    let pair = (matches(&p.sides[0], &g.sides[0]) && matches(&p.sides[1], &g.sides[1]))
        || (matches(&p.sides[0], &g.sides[1]) && matches(&p.sides[1], &g.sides[0]));
    let date =
        p.date.precision() >= g.date.precision() && p.date.truncated(g.date.precision()) == g.date;
    pair && date && (!with_class || p.class == g.class)
}

/// The size of a maximum one-to-one matching (augmenting paths).
fn matched(pred: &[Labelled], gold: &[Labelled], with_class: bool) -> usize {
    fn augment(
        i: usize,
        edges: &[Vec<usize>],
        owner: &mut [Option<usize>],
        seen: &mut [bool],
    ) -> bool {
        for &j in &edges[i] {
            if seen[j] {
                continue;
            }
            seen[j] = true;
            if owner[j].is_none_or(|o| augment(o, edges, owner, seen)) {
                owner[j] = Some(i);
                return true;
            }
        }
        false
    }
    let edges: Vec<Vec<usize>> = pred
        .iter()
        .map(|p| {
            (0..gold.len())
                .filter(|&j| event_matches(p, &gold[j], with_class))
                .collect()
        })
        .collect();
    let mut owner = vec![None; gold.len()];
    (0..pred.len())
        .filter(|&i| augment(i, &edges, &mut owner, &mut vec![false; gold.len()]))
        .count()
}

fn f1(hit: usize, predicted: usize, gold: usize) -> f64 {
    let p = hit as f64 / predicted.max(1) as f64;
    let r = hit as f64 / gold.max(1) as f64;
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

#[test]
fn dev_articles_keep_their_scores() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/articles");
    let (mut predicted, mut gold, mut dated, mut classed) = (0, 0, 0, 0);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.starts_with("dev-") || name.ends_with(".gold.csv") {
            continue;
        }
        let stem = name.rsplit_once('.').unwrap().0;
        let labelled = read_gold(&dir.join(format!("{stem}.gold.csv")));
        let found = predict(&path);
        dated += matched(&found, &labelled, false);
        classed += matched(&found, &labelled, true);
        predicted += found.len();
        gold += labelled.len();
    }
    assert!(gold >= 50, "{gold} gold events");
    let date_f1 = f1(dated, predicted, gold);
    let class_f1 = f1(classed, predicted, gold);
    let precision = dated as f64 / predicted.max(1) as f64;
    assert!(
        date_f1 >= 0.65 && precision >= 0.7,
        "pair+date F1 {date_f1:.2}, precision {precision:.2}"
    );
    assert!(class_f1 >= 0.6, "pair+date+class F1 {class_f1:.2}");
}

#[test]
fn the_seed_article_gives_most_of_the_sample() {
    let seed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/seed-article.txt");
    if !seed.exists() {
        eprintln!("skipped: no {}", seed.display());
        return;
    }
    let gold = read_gold(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/sample/belarus-iran.csv"),
    );
    let found = predict(&seed);
    let recall = matched(&found, &gold, false) as f64 / gold.len() as f64;
    assert!(
        recall >= 0.8,
        "pair+date recall on the seed article {recall:.2}"
    );
}
