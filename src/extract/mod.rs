//! From a news article to candidate events, offline and by rules: the analyst accepts, fixes
//! or rejects each one (nothing here adds to a dataset by itself). No egui.
//!
//! The stages, each in its own file and tested on its own:
//! 1. [`text`]: HTML and Markdown to clean text (with the map back to input offsets),
//!    sentences (abbreviations such as "Gen." and "U.S." kept inside) and tokens;
//! 2. [`dates`]: the publication date (given, HTML metadata, a dateline, else today), and the
//!    dates of sentences, absolute or relative to it, at their own precision; a sentence with
//!    none takes the previous sentence's date in its paragraph, else the publication date;
//! 3. [`actors`]: countries, the dataset's own actors, people with their office and country,
//!    institutions, and "he" / "the minister" when one person of the paragraph fits;
//! 4. [`events`]: a verb and phrase lexicon mapped to the 20 CAMEO roots (with their
//!    QuadClass), negation ("did not" drops the event) and modality ("plans to" makes it an
//!    intention), and actor1/actor2 from the subject and object around the phrase.
//!
//! For the GUI's import dialog: `extract(text, &ExtractOptions { publication_date,
//! known_actors: &known_actors(&dataset), today: None })` gives an [`Extraction`] whose
//! [`Candidate`]s carry the sentence's offsets in the text (bytes in `sentence`, characters in
//! `sentence_chars`, for highlighting), `confidence`, the actors (name, kind, country), the date
//! at its precision, the CAMEO root (`cameo_root`, `type_name()`) and the QuadClass (`class`);
//! an accepted candidate becomes an event with [`Candidate::new_event`] (or all of them a
//! dataset with [`to_dataset`]). The CLI (`relmap extract`) writes them with [`output`].
//! [`baseline`] is the trivial extractor the evaluation compares against.

pub mod actors;
pub mod dates;
pub mod events;
pub mod output;
pub mod text;

use std::ops::Range;

pub use actors::{ActorRef, KnownActor};
pub use dates::DateSource;

use crate::io::gdelt::CAMEO_ROOTS;
use crate::model::{ActorKind, Dataset, DatasetBuilder, EventClass, NewEvent, PartialDate};
use actors::{ActorFinder, Mention, MentionKind};
use dates::{DateContext, DateMention};
use text::{Token, TokenKind};

/// What the extractor is given besides the text.
#[derive(Clone, Debug, Default)]
pub struct ExtractOptions<'a> {
    /// The publication date, when the caller knows it (`--date`): relative dates ("on
    /// Monday") are read against it.
    pub publication_date: Option<PartialDate>,
    /// The open dataset's actors, found by their names and aliases.
    pub known_actors: &'a [KnownActor],
    /// The day used when the article has no date (today when `None`).
    pub today: Option<PartialDate>,
}

/// The extractor's answer for one article.
#[derive(Clone, Debug)]
pub struct Extraction {
    pub publication_date: PartialDate,
    pub publication_date_source: DateSource,
    pub candidates: Vec<Candidate>,
    /// What the analyst should know (no date found, nothing readable, …).
    pub warnings: Vec<String>,
}

/// One proposed event.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// The sentence's byte range in the input (as given: HTML and Markdown included).
    pub sentence: Range<usize>,
    /// The same range counted in characters, for text widgets that count characters.
    pub sentence_chars: Range<usize>,
    /// The sentence without markup, whitespace collapsed: the event's title.
    pub title: String,
    pub date: PartialDate,
    /// Whether the sentence states the date (not carried from before or the publication
    /// date).
    pub date_stated: bool,
    /// Two or more actors; the first is the initiator.
    pub actors: Vec<ActorRef>,
    /// CAMEO root code, 1–20.
    pub cameo_root: u8,
    pub class: EventClass,
    /// A place named in the sentence ("in Minsk"), when one is.
    pub location: Option<String>,
    /// The words that made it an event ("signed", "held talks").
    pub trigger: String,
    /// How sure the extractor is, 0–1.
    pub confidence: f32,
}

impl Candidate {
    /// The CAMEO root's name ("consult", "engage in material cooperation").
    pub fn type_name(&self) -> &'static str {
        CAMEO_ROOTS[(self.cameo_root as usize).clamp(1, 20) - 1]
    }
}

impl Candidate {
    /// The candidate as an event of `builder`'s dataset: its actors interned with their kind
    /// and country (a person or institution belongs to its country), the sentence as the
    /// title, `url` (the article) as the source. What the import dialog adds for each
    /// accepted candidate.
    pub fn new_event(&self, builder: &mut DatasetBuilder, url: &str) -> NewEvent {
        let actors = self
            .actors
            .iter()
            .filter_map(|a| {
                let id = builder.actor(&a.name, Some(a.kind))?;
                if a.kind != ActorKind::Country
                    && let Some(country) = &a.country
                    && let Some(cid) = builder.actor(country, Some(ActorKind::Country))
                    && cid != id
                {
                    builder.actors.get_mut(id).affiliation.get_or_insert(cid);
                }
                Some(id)
            })
            .collect();
        NewEvent {
            date: self.date,
            actors,
            event_type: self.type_name().to_string(),
            class: self.class,
            title: self.title.clone(),
            location: self.location.clone().unwrap_or_default(),
            url: url.to_string(),
            weight: 1.0,
            ..NewEvent::default()
        }
    }
}

/// The candidates as a dataset of their own (all of them; filter `candidates` first to keep
/// the accepted ones), with `url` as every event's source.
pub fn to_dataset(candidates: &[Candidate], url: &str) -> Dataset {
    let mut builder = DatasetBuilder::new();
    for c in candidates {
        let event = c.new_event(&mut builder, url);
        builder.push(event);
    }
    builder.finish(None)
}

/// The actors of an open dataset as the extractor looks for them: names, aliases, kinds and
/// countries (what the import dialog passes as [`ExtractOptions::known_actors`]).
pub fn known_actors(ds: &Dataset) -> Vec<KnownActor> {
    ds.actors
        .iter()
        .map(|(_, a)| KnownActor {
            name: a.name.clone(),
            kind: a.kind,
            country: a.affiliation.map(|c| ds.actors.get(c).name.clone()),
            aliases: a.aliases.clone(),
        })
        .collect()
}

/// Words that make signing an agreement material (military, security) cooperation.
const MILITARY_WORDS: &[&str] = &[
    "military", "defence", "defense", "security", "arms", "weapons", "army", "troops", "armed",
    "drone",
];

/// Reads an article (plain text, Markdown or HTML) and proposes its events.
pub fn extract(input: &str, options: &ExtractOptions<'_>) -> Extraction {
    let clean = text::clean(input);
    let sentences = text::sentences(&clean.text);
    let mut warnings = Vec::new();

    let ranges: Vec<Range<usize>> = sentences.iter().map(|s| s.range.clone()).collect();
    let (publication, source) = if let Some(date) = options.publication_date {
        (date, DateSource::Given)
    } else if let Some(date) = text::is_html(input)
        .then(|| dates::html_publication_date(input))
        .flatten()
    {
        (date, DateSource::HtmlMetadata)
    } else if let Some((date, year_stated)) = dates::text_publication_date(
        &clean.text,
        &ranges,
        options.today.unwrap_or_else(dates::today),
    ) {
        if !year_stated {
            warnings.push(format!(
                "the dateline gives no year: read as {date}; give the date with --date"
            ));
        }
        (date, DateSource::Dateline)
    } else {
        let today = options.today.unwrap_or_else(dates::today);
        warnings.push(format!(
            "no publication date found in the article: relative dates are read against today ({today}); give one with --date"
        ));
        (today, DateSource::Today)
    };
    if sentences.is_empty() {
        warnings.push("the article holds no text".to_string());
    }

    let mut finder = ActorFinder::new(options.known_actors);
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut ctx = DateContext {
        publication,
        recent_year: None,
        previous: None,
    };
    let mut paragraph = usize::MAX;
    // The actors of the paragraph's last event, for "the two ministers" and for reactions.
    let mut recent = RecentPairs::default();
    // Offsets in characters, counted incrementally (sentences come in order).
    let mut chars_counted = (0usize, 0usize);
    let mut char_offset = |byte: usize| {
        let (at_byte, at_char) = chars_counted;
        let count = if byte >= at_byte {
            at_char + input[at_byte..byte].chars().count()
        } else {
            input[..byte].chars().count()
        };
        chars_counted = (byte, count);
        count
    };

    for sentence in &sentences {
        if sentence.paragraph != paragraph {
            paragraph = sentence.paragraph;
            finder.new_paragraph();
            recent.paragraph = None;
            ctx.previous = None;
            ctx.recent_year = None;
        }
        let toks = text::tokens(&clean.text, sentence.range.clone());
        let date_mentions = dates::find_dates(&toks, &ctx);
        let mentions = finder.find(&toks);
        if is_headline(&toks) {
            continue;
        }
        let sentence_date = date_mentions.first().map(|d| d.date);
        let military = toks
            .iter()
            .any(|t| MILITARY_WORDS.contains(&t.lower.as_str()));
        let location = mentions
            .iter()
            .find(|m| m.kind == MentionKind::Location)
            .map(|m| {
                toks[m.tokens.clone()]
                    .iter()
                    .map(|t| t.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            });

        let mut sentence_events: Vec<(Candidate, u8, usize, bool)> = Vec::new();
        let mut previous_subject: Option<Vec<usize>> = None;
        let mut main_subject: Option<Vec<usize>> = None;
        recent.sentence = None;
        let triggers = events::find_triggers(&toks);
        let mut previous_root: Option<u8> = None;
        let mut previous_end: Option<usize> = None;
        for (index, trigger) in triggers.iter().enumerate() {
            // "urged Turkey to press Moscow", "called on the EU to tighten sanctions": the
            // wished-for act is no event of its own.
            // "called for an immediate ceasefire": the thing asked for, too.
            let start = trigger.tokens.start;
            let close_after = previous_end.is_some_and(|e| start >= e && start - e <= 4);
            let complement = index > 0
                && (close_after
                    || toks[start.saturating_sub(2)..start]
                        .iter()
                        .any(|t| t.is("to")))
                && matches!(previous_root, Some(2 | 3 | 10 | 13));
            previous_root = Some(trigger.root);
            previous_end = Some(trigger.tokens.end);
            if complement {
                continue;
            }
            let next_verb = triggers[index + 1..]
                .iter()
                .find(|t| !t.noun)
                .map(|t| t.tokens.start);
            let (subject, roles) = events::assign_roles(
                &toks,
                &mentions,
                trigger,
                next_verb,
                previous_subject.as_deref(),
                main_subject.as_deref(),
            );
            if !subject.is_empty() {
                main_subject.get_or_insert_with(|| subject.clone());
                previous_subject = Some(subject);
            }
            let Some(root) = events::final_root(trigger, military) else {
                continue;
            };
            // The actor pairs: from the roles, or, where the sentence names none, from what
            // came before (see `pairs_from_context`).
            let mut pairs: Vec<(ActorRef, ActorRef, f32)> = roles
                .iter()
                .map(|r| {
                    (
                        mentions[r.actor1].actor.clone(),
                        mentions[r.actor2].actor.clone(),
                        r.certainty,
                    )
                })
                .collect();
            if pairs.is_empty() {
                pairs = pairs_from_context(
                    &toks,
                    &mentions,
                    trigger,
                    root,
                    previous_subject.as_deref(),
                    &recent,
                );
            }
            if let Some((a, b, _)) = pairs.first() {
                recent.sentence = Some((a.clone(), b.clone()));
            }
            let (date, date_factor, stated) =
                match choose_date(&toks, &date_mentions, &trigger.tokens) {
                    Some(d) => (d.date, if d.explicit { 1.0 } else { 0.9 }, true),
                    None => match ctx.previous {
                        Some(previous) => (previous, 0.85, false),
                        None => (publication, 0.8, false),
                    },
                };
            for (actor1, actor2, certainty) in pairs {
                let mut confidence = if trigger.noun { 0.5 } else { 0.7 };
                confidence += 0.03 * trigger.priority as f32;
                confidence *= certainty * date_factor;
                if trigger.polarity == events::Polarity::Intended {
                    confidence *= 0.8;
                }
                if root == 1 {
                    confidence *= 0.6;
                }
                let specific = [&actor1, &actor2]
                    .iter()
                    .filter(|a| a.kind != ActorKind::Country)
                    .count();
                let byte_range = clean.original_range(input, sentence.range.clone());
                let candidate = Candidate {
                    sentence: byte_range.clone(),
                    sentence_chars: char_offset(byte_range.start)..char_offset(byte_range.end),
                    title: collapse_whitespace(&clean.text[sentence.range.clone()]),
                    date,
                    date_stated: stated,
                    actors: vec![actor1, actor2],
                    cameo_root: root,
                    class: EventClass::from_cameo(&format!("{root:02}")),
                    location: location.clone(),
                    trigger: toks[trigger.tokens.clone()]
                        .iter()
                        .map(|t| t.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    confidence: confidence.clamp(0.05, 0.99),
                };
                // "met … to sign a protocol", "held talks": one event told twice.
                let restates = trigger.noun
                    || (trigger.tokens.start > 0 && toks[trigger.tokens.start - 1].is("to"));
                sentence_events.push((
                    candidate,
                    trigger.priority + u8::from(!trigger.noun) * 2,
                    specific,
                    restates,
                ));
            }
        }
        let kept = best_of_sentence(sentence_events);
        if let Some(last) = kept.last() {
            recent.paragraph = Some((last.actors[0].clone(), last.actors[1].clone()));
            recent.document = recent.paragraph.clone();
        }
        candidates.extend(kept);

        // The date the next sentence carries, and the year "in April" refers to.
        let carried = candidates
            .last()
            .filter(|c| c.sentence == clean.original_range(input, sentence.range.clone()))
            .map(|c| c.date)
            .or(sentence_date);
        if let Some(date) = carried {
            ctx.previous = Some(date);
        }
        // The year a bare month ("In April") refers to: one stated with a month in this
        // paragraph, or a year that opens a sentence ("In 2019, …").
        for m in &date_mentions {
            let with_year = m.explicit && toks[m.tokens.clone()].iter().any(is_year_token);
            let scene = m.tokens.start <= 1;
            let dateline = m.date == publication;
            if with_year && !dateline && (m.date.month.is_some() || scene) {
                ctx.recent_year = Some(m.date.year as i32);
            }
        }
    }

    Extraction {
        publication_date: publication,
        publication_date_source: source,
        candidates: dedupe_document(candidates),
        warnings,
    }
}

/// The trivial baseline the extractor is measured against: every pair of countries named in
/// one sentence, dated on the publication day, typed "consult".
pub fn baseline(input: &str, options: &ExtractOptions<'_>) -> Extraction {
    let mut extraction = extract(input, options);
    let clean = text::clean(input);
    let mut finder = ActorFinder::new(&[]);
    let mut candidates = Vec::new();
    for sentence in text::sentences(&clean.text) {
        let toks = text::tokens(&clean.text, sentence.range.clone());
        let mut countries: Vec<ActorRef> = Vec::new();
        for m in finder.find(&toks) {
            if m.actor.kind == ActorKind::Country && !countries.contains(&m.actor) {
                countries.push(m.actor);
            }
        }
        let byte_range = clean.original_range(input, sentence.range.clone());
        for (k, a) in countries.iter().enumerate() {
            for b in &countries[k + 1..] {
                candidates.push(Candidate {
                    sentence: byte_range.clone(),
                    sentence_chars: 0..0,
                    title: collapse_whitespace(&clean.text[sentence.range.clone()]),
                    date: extraction.publication_date,
                    date_stated: false,
                    actors: vec![a.clone(), b.clone()],
                    cameo_root: 4,
                    class: EventClass::VerbalCooperation,
                    location: None,
                    trigger: String::new(),
                    confidence: 0.1,
                });
            }
        }
    }
    extraction.candidates = candidates;
    extraction
}

/// The actors of the last events: of the sentence, the paragraph and the whole text.
#[derive(Default)]
struct RecentPairs {
    sentence: Option<(ActorRef, ActorRef)>,
    paragraph: Option<(ActorRef, ActorRef)>,
    /// "the two ministers" may open a paragraph.
    document: Option<(ActorRef, ActorRef)>,
}

/// Actors for an event phrase whose sentence names no pair:
/// * a noun continuing the sentence ("visited Belarus, followed by meetings in February"):
///   the sentence's last pair;
/// * "the two ministers signed", "both sides agreed": the last pair (of the sentence, the
///   paragraph, else the text);
/// * "they" with an object: both actors of the last event, each with the object;
/// * a reaction with a subject but no object ("Belarus denied the accusations", "Kyiv
///   condemned the attack"): against the initiator of the paragraph's last event.
fn pairs_from_context(
    toks: &[Token],
    mentions: &[Mention],
    trigger: &events::Trigger,
    root: u8,
    subject: Option<&[usize]>,
    recent: &RecentPairs,
) -> Vec<(ActorRef, ActorRef, f32)> {
    if trigger.noun {
        return recent
            .sentence
            .as_ref()
            .map(|(a, b)| vec![(a.clone(), b.clone(), 0.7)])
            .unwrap_or_default();
    }
    let start = trigger.tokens.start;
    let before = &toks[start.saturating_sub(4)..start];
    let both = before.iter().any(|t| t.is("two") || t.is("both"))
        && before.iter().any(|t| {
            matches!(
                t.lower.as_str(),
                "ministers"
                    | "sides"
                    | "countries"
                    | "leaders"
                    | "nations"
                    | "governments"
                    | "delegations"
                    | "presidents"
                    | "officials"
            )
        });
    let joint_act = matches!(root, 3..=6 | 8 | 19);
    if both
        && joint_act
        && let Some((a, b)) = recent
            .sentence
            .as_ref()
            .or(recent.paragraph.as_ref())
            .or(recent.document.as_ref())
    {
        return vec![(a.clone(), b.clone(), 0.7)];
    }
    // "They condemned North Korea's launches": both actors of the last event, against the
    // object named after the phrase.
    let they = toks[start.saturating_sub(3)..start]
        .iter()
        .any(|t| t.lower == "they");
    if they
        && let Some((a, b)) = recent.sentence.as_ref().or(recent.paragraph.as_ref())
        && let Some(object) = mentions.iter().find(|m| {
            m.tokens.start >= trigger.tokens.end
                && m.tokens.start <= trigger.tokens.end + 6
                && m.kind != MentionKind::Location
        })
    {
        return [a, b]
            .into_iter()
            .filter(|x| x.country_key() != object.actor.country_key())
            .map(|x| (x.clone(), object.actor.clone(), 0.6))
            .collect();
    }
    let reaction = (11..=13).contains(&root);
    if reaction
        && let Some(&[s]) = subject
        && let Some((first, second)) = &recent.paragraph
    {
        // Against the side of the last event that is not the subject's own.
        let own = mentions[s].actor.country_key();
        let other = [first, second].into_iter().find(|a| a.country_key() != own);
        if let Some(other) = other {
            return vec![(mentions[s].actor.clone(), other.clone(), 0.6)];
        }
    }
    Vec::new()
}

fn is_year_token(t: &Token) -> bool {
    t.kind == TokenKind::Number && t.text.len() == 4
}

/// A headline or heading: a short line without end punctuation (or a longer one with most
/// words capitalised). Its events are told again in the text below.
fn is_headline(toks: &[Token]) -> bool {
    let ends = toks
        .last()
        .is_some_and(|t| matches!(t.text.as_str(), "." | "!" | "?" | "\"" | "”"));
    let long_words: Vec<&Token> = toks
        .iter()
        .filter(|t| t.kind == TokenKind::Word && t.text.chars().count() > 3)
        .collect();
    let capitalised = long_words.iter().filter(|t| t.is_capitalised()).count();
    !ends && (toks.len() < 25 || capitalised * 10 >= long_words.len() * 6)
}

/// The date of the sentence that belongs to a trigger: the nearest in words, a date across a
/// comma counting as farther, except a date that opens the sentence ("In May 2024, …"),
/// which sets the scene for the whole sentence.
/// The cost of a date that does not belong to the trigger at all.
const EXCLUDED: usize = usize::MAX;

fn choose_date<'a>(
    toks: &[Token],
    dates: &'a [DateMention],
    trigger: &Range<usize>,
) -> Option<&'a DateMention> {
    let cost = |d: &DateMention| -> usize {
        let (from, to, after) = if d.tokens.end <= trigger.start {
            (d.tokens.end, trigger.start, false)
        } else {
            (trigger.end, d.tokens.start.max(trigger.end), true)
        };
        let commas = toks[from..to]
            .iter()
            .filter(|t| matches!(t.text.as_str(), "," | ";" | "-" | "–" | "—" | "("))
            .count();
        // "MINSK, March 14, 2025 (BelTA) - …": the dateline is the day of the report, used
        // only when the sentence says nothing closer.
        let dateline = d.tokens.start <= 3
            && toks[d.tokens.end..toks.len().min(d.tokens.end + 4)]
                .iter()
                .any(|t| matches!(t.text.as_str(), "-" | "–" | "—" | "("));
        if dateline {
            return 40;
        }
        // "a trade agreement that collapsed in 2022": the date of a relative clause.
        if after
            && toks[from..to]
                .iter()
                .any(|t| matches!(t.lower.as_str(), "that" | "which" | "who" | "whose"))
        {
            return EXCLUDED;
        }
        let opens_sentence = d.tokens.start <= 2 && !after;
        let distance = to - from;
        if opens_sentence {
            distance.min(6)
        } else {
            distance + 8 * commas + usize::from(after)
        }
    };
    // "the first visit since 2017": a period's start, not the event's date; but "since
    // November 2023, when the first session took place" dates the "when" clause.
    let period_start = |d: &DateMention| {
        d.tokens.start > 0
            && toks[d.tokens.start - 1].is("since")
            && !toks[d.tokens.end..toks.len().min(d.tokens.end + 2)]
                .iter()
                .any(|t| t.is("when"))
    };
    dates
        .iter()
        .filter(|d| !period_start(d) && cost(d) != EXCLUDED)
        .min_by_key(|d| cost(d))
}

/// The events of one sentence: one per actor pair and date (the most specific phrase wins:
/// "met … to sign a protocol" is the signing), and no country-level copy of a pair the
/// sentence names more precisely ("Lukyanovich visited Iran to meet Mousavi").
fn best_of_sentence(events: Vec<(Candidate, u8, usize, bool)>) -> Vec<Candidate> {
    let mut kept: Vec<(Candidate, u8, usize, bool)> = Vec::new();
    for (candidate, priority, specific, restates) in events {
        // Two acts of one class between the same actors are one event; of two classes
        // ("condemned the decision and recalled its envoy") two, unless one restates the
        // other.
        let same = kept.iter_mut().find(|(k, _, _, r)| {
            k.date == candidate.date
                && (k.class == candidate.class || restates || *r)
                && same_pair(&k.actors, &candidate.actors, |a| a.name.as_str())
        });
        match same {
            Some(existing) if existing.1 >= priority => {}
            Some(existing) => *existing = (candidate, priority, specific, restates),
            None => kept.push((candidate, priority, specific, restates)),
        }
    }
    let dominated = |c: &Candidate, s: usize| {
        kept.iter().any(|(k, _, ks, _)| {
            *ks > s && k.date == c.date && same_pair(&k.actors, &c.actors, |a| a.country_key())
        })
    };
    kept.iter()
        .filter(|(c, _, s, _)| !dominated(c, *s))
        .map(|(c, _, _, _)| c.clone())
        .collect()
}

fn same_pair<'a>(
    a: &'a [ActorRef],
    b: &'a [ActorRef],
    key: impl Fn(&'a ActorRef) -> &'a str,
) -> bool {
    let (a1, a2) = (key(&a[0]), key(&a[1]));
    let (b1, b2) = (key(&b[0]), key(&b[1]));
    (a1 == b1 && a2 == b2) || (a1 == b2 && a2 == b1)
}

/// The same event told twice (a lede repeated under the headline, a summary at the end):
/// same actors, date and CAMEO root. The first telling stays, with the higher confidence.
fn dedupe_document(candidates: Vec<Candidate>) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    for c in candidates {
        if let Some(existing) = out.iter_mut().find(|k| {
            k.date == c.date
                && k.cameo_root == c.cameo_root
                && k.actors[0].name == c.actors[0].name
                && k.actors[1].name == c.actors[1].name
        }) {
            existing.confidence = existing.confidence.max(c.confidence);
            continue;
        }
        out.push(c);
    }
    out
}

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn given(date: &str) -> ExtractOptions<'static> {
        ExtractOptions {
            publication_date: Some(PartialDate::parse(date).unwrap()),
            ..Default::default()
        }
    }

    fn summary(e: &Extraction) -> Vec<String> {
        e.candidates
            .iter()
            .map(|c| {
                format!(
                    "{} {} – {} {}",
                    c.date,
                    c.actors[0].name,
                    c.actors[1].name,
                    c.type_name()
                )
            })
            .collect()
    }

    #[test]
    fn an_article_becomes_dated_typed_events_with_sentence_offsets() {
        let text = "Talks in Minsk\n\nMINSK, March 14, 2025 - Belarusian Defence Minister Viktar Khrenin and his Iranian counterpart Aziz Nasirzadeh signed a military cooperation protocol on Friday. \
                    In April, Khrenin met Iraqi officials. He did not meet Syria.";
        let e = extract(text, &ExtractOptions::default());
        assert_eq!(e.publication_date_source, DateSource::Dateline);
        assert_eq!(
            summary(&e),
            [
                "2025-03-14 Viktar Khrenin – Aziz Nasirzadeh engage in material cooperation",
                "2024-04 Viktar Khrenin – Government of Iraq consult",
            ]
        );
        let c = &e.candidates[0];
        assert_eq!(c.actors[1].country.as_deref(), Some("Iran"));
        assert!(text[c.sentence.clone()].starts_with("MINSK, March 14"));
        assert!(c.confidence > 0.0 && c.confidence <= 1.0);
        assert_eq!(c.class, EventClass::MaterialCooperation);
    }

    #[test]
    fn no_date_means_today_with_a_warning() {
        let today = PartialDate::parse("2026-12-02").unwrap();
        let e = extract(
            "France condemned Russia yesterday.",
            &ExtractOptions {
                today: Some(today),
                ..Default::default()
            },
        );
        assert_eq!(e.publication_date_source, DateSource::Today);
        assert_eq!(e.warnings.len(), 1);
        assert_eq!(summary(&e), ["2026-12-01 France – Russia disapprove"]);
    }

    #[test]
    fn character_offsets_count_characters() {
        let text = "Für Ärzte: Großwald report.\n\nFrance condemned Russia.";
        let e = extract(text, &given("2025-01-01"));
        let c = &e.candidates[0];
        let chars: String = text
            .chars()
            .skip(c.sentence_chars.start)
            .take(c.sentence_chars.len())
            .collect();
        assert_eq!(chars, "France condemned Russia.");
        assert_eq!(&text[c.sentence.clone()], "France condemned Russia.");
    }

    #[test]
    fn candidates_become_a_dataset_with_kinds_and_countries() {
        let text = "Belarusian Defence Minister Viktar Khrenin met Iran's armed forces in Minsk on Friday.";
        let e = extract(text, &given("2025-03-14"));
        let ds = to_dataset(&e.candidates, "https://example.org/a");
        assert_eq!(ds.len(), 1);
        assert_eq!(ds.date_of(0).to_string(), "2025-03-14");
        assert_eq!(ds.type_name(0), "consult");
        assert_eq!(ds.url(0), "https://example.org/a");
        let names: Vec<(String, &str, Option<String>)> = ds
            .actors_of(0)
            .iter()
            .map(|&a| {
                let actor = ds.actors.get(a);
                (
                    actor.name.clone(),
                    actor.kind.label(),
                    actor.affiliation.map(|c| ds.actors.get(c).name.clone()),
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                (
                    "Viktar Khrenin".to_string(),
                    "person",
                    Some("Belarus".to_string())
                ),
                (
                    "Armed Forces of Iran".to_string(),
                    "organisation",
                    Some("Iran".to_string())
                ),
            ]
        );
    }

    #[test]
    fn a_repeated_lede_is_one_event() {
        let text = "France condemned Russia.\n\nParis, 2 May 2024. France condemned Russia.";
        let e = extract(text, &given("2024-05-02"));
        assert_eq!(e.candidates.len(), 1);
    }

    proptest::proptest! {
        /// Any text, markup or not, gives candidates whose offsets lie on the input's
        /// character boundaries, and never a panic.
        #[test]
        fn any_text_extracts_without_panicking(
            words in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::string::string_regex("[A-Za-zÄé’'.,;:!?()<>/&#\\-]{0,12}").unwrap(),
                    proptest::sample::select(vec![
                        "Iran".to_string(), "Belarus".to_string(), "met".to_string(),
                        "signed".to_string(), "U.S.".to_string(), "Gen.".to_string(),
                        "March".to_string(), "14".to_string(), "2025".to_string(),
                        "<p>".to_string(), "</p>".to_string(), "&amp;".to_string(),
                        "\n\n".to_string(), "\n".to_string(), "he".to_string(),
                        "Minister".to_string(), "Iran's".to_string(), "-".to_string(),
                        "**".to_string(), "[x](y)".to_string(), "<script>".to_string(),
                        "Sept.".to_string(), "on".to_string(), "Monday".to_string(),
                    ]),
                ],
                0..60,
            )
        ) {
            let text = words.join(" ");
            let e = extract(&text, &given("2025-03-14"));
            let chars = text.chars().count();
            for c in &e.candidates {
                proptest::prop_assert!(c.sentence.start <= c.sentence.end && c.sentence.end <= text.len());
                proptest::prop_assert!(text.is_char_boundary(c.sentence.start) && text.is_char_boundary(c.sentence.end));
                proptest::prop_assert!(c.sentence_chars.end <= chars);
                proptest::prop_assert!((0.0..=1.0).contains(&c.confidence));
                proptest::prop_assert!(c.actors.len() >= 2);
            }
        }
    }

    /// The speed figure of the README: a 5,000-word article (the fixture articles repeated)
    /// in under 100 ms. Run in release: `cargo test --release --no-default-features --lib
    /// extract_speed -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn extract_speed() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/articles");
        let mut parts = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt" || e == "md") {
                parts.push(std::fs::read_to_string(path).unwrap());
            }
        }
        let mut article = String::new();
        while article.split_whitespace().count() < 5_000 {
            for part in &parts {
                article.push_str(part);
                article.push_str("\n\n");
            }
        }
        let words = article.split_whitespace().count();
        // Once for the country table and lexicon, then timed.
        extract(&article, &given("2025-03-14"));
        let runs = 10;
        let start = std::time::Instant::now();
        let mut found = 0;
        for _ in 0..runs {
            found = extract(&article, &given("2025-03-14")).candidates.len();
        }
        let each = start.elapsed() / runs;
        eprintln!("{words} words: {found} candidates in {each:?} per article");
        if !cfg!(debug_assertions) {
            assert!(each.as_millis() < 100, "{each:?}");
        }
    }
}
