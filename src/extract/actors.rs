//! Who a sentence names: countries (names, alternative names, demonyms and capitals standing
//! for their government), the open dataset's own actors, people with their office ("Defence
//! Minister Viktar Khrenin", "Iran's Chief of General Staff Mohammad Bagheri"), institutions
//! ("the Ministry of Defence of Belarus", "Iranian troops") and, within a paragraph, "he" or
//! "the minister" when only one person fits.
//!
//! Codes (ISO, CAMEO) are never read in prose: "IS" or "US" in a sentence are words, not
//! countries.

use std::collections::HashMap;
use std::ops::Range;

use super::text::{Token, TokenKind};
use crate::model::{ActorKind, CountryRule, CountryTable, normalise_name};

/// An actor as the extractor proposes it: a name, a kind and the country it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ActorRef {
    pub name: String,
    pub kind: ActorKind,
    /// The country's name for an actor that belongs to one (a country's own name for a
    /// country).
    pub country: Option<String>,
}

impl ActorRef {
    fn country(name: &str) -> Self {
        Self {
            name: name.to_string(),
            kind: ActorKind::Country,
            country: Some(name.to_string()),
        }
    }

    /// The country this actor stands for at the country level, or its own name.
    pub fn country_key(&self) -> &str {
        self.country.as_deref().unwrap_or(&self.name)
    }
}

/// An actor the open dataset already holds, so that the extractor finds it by its names.
#[derive(Clone, Debug, PartialEq)]
pub struct KnownActor {
    pub name: String,
    pub kind: ActorKind,
    pub country: Option<String>,
    pub aliases: Vec<String>,
}

/// How a mention was found, for the confidence of an event built on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MentionKind {
    /// A name of its own (a country, a known actor, a person, an institution).
    Named,
    /// A demonym in front of something that is not an institution ("Iranian counterpart").
    Demonym,
    /// A place after "in", "at", "near": the country is where something happened.
    Location,
    /// "he", "the minister": resolved within the paragraph.
    BackReference,
}

/// An actor named by tokens of a sentence.
#[derive(Clone, Debug)]
pub struct Mention {
    pub tokens: Range<usize>,
    pub actor: ActorRef,
    pub kind: MentionKind,
}

/// Capitals and seats of government that news uses for their country ("Minsk and Tehran
/// strengthened ties"). A well-known subset; a capital is a place after "in", "at".
const CAPITALS: &[(&str, &str)] = &[
    ("Minsk", "BLR"),
    ("Tehran", "IRN"),
    ("Moscow", "RUS"),
    ("Kremlin", "RUS"),
    ("Kyiv", "UKR"),
    ("Kiev", "UKR"),
    ("Beijing", "CHN"),
    ("Washington", "USA"),
    ("London", "GBR"),
    ("Paris", "FRA"),
    ("Berlin", "DEU"),
    ("Ankara", "TUR"),
    ("Baghdad", "IRQ"),
    ("Damascus", "SYR"),
    ("Riyadh", "SAU"),
    ("Cairo", "EGY"),
    ("Islamabad", "PAK"),
    ("New Delhi", "IND"),
    ("Kabul", "AFG"),
    ("Tokyo", "JPN"),
    ("Seoul", "KOR"),
    ("Pyongyang", "PRK"),
    ("Caracas", "VEN"),
    ("Havana", "CUB"),
    ("Warsaw", "POL"),
    ("Vilnius", "LTU"),
    ("Riga", "LVA"),
    ("Tallinn", "EST"),
    ("Rome", "ITA"),
    ("Madrid", "ESP"),
    ("Ottawa", "CAN"),
    ("Canberra", "AUS"),
    ("Baku", "AZE"),
    ("Yerevan", "ARM"),
    ("Tbilisi", "GEO"),
    ("Astana", "KAZ"),
    ("Tashkent", "UZB"),
    ("Doha", "QAT"),
    ("Abu Dhabi", "ARE"),
    ("Muscat", "OMN"),
    ("Amman", "JOR"),
    ("Beirut", "LBN"),
    ("Sanaa", "YEM"),
    ("Khartoum", "SDN"),
    ("Addis Ababa", "ETH"),
    ("Nairobi", "KEN"),
    ("Pretoria", "ZAF"),
    ("Abuja", "NGA"),
    ("Hanoi", "VNM"),
    ("Manila", "PHL"),
    ("Jakarta", "IDN"),
    ("Bangkok", "THA"),
    ("Taipei", "TWN"),
    ("Kinshasa", "COD"),
    ("Tripoli", "LBY"),
    ("Algiers", "DZA"),
    ("Rabat", "MAR"),
    ("Budapest", "HUN"),
    ("Belgrade", "SRB"),
    ("Athens", "GRC"),
    ("Stockholm", "SWE"),
    ("Helsinki", "FIN"),
    ("Oslo", "NOR"),
    ("Copenhagen", "DNK"),
    ("Niamey", "NER"),
    ("Bamako", "MLI"),
    ("Ouagadougou", "BFA"),
    ("Dakar", "SEN"),
    ("Accra", "GHA"),
    ("Luanda", "AGO"),
    ("Harare", "ZWE"),
    ("Lusaka", "ZMB"),
    ("Kampala", "UGA"),
    ("Kigali", "RWA"),
    ("Dodoma", "TZA"),
    ("Mogadishu", "SOM"),
    ("Asmara", "ERI"),
    ("N'Djamena", "TCD"),
    ("Bangui", "CAF"),
    ("Yaounde", "CMR"),
    ("Juba", "SSD"),
    ("Maputo", "MOZ"),
    ("Lima", "PER"),
    ("Bogota", "COL"),
    ("Quito", "ECU"),
    ("Santiago", "CHL"),
    ("Buenos Aires", "ARG"),
    ("Brasilia", "BRA"),
    ("Mexico City", "MEX"),
    ("Managua", "NIC"),
    ("Kathmandu", "NPL"),
    ("Dhaka", "BGD"),
    ("Colombo", "LKA"),
    ("Naypyidaw", "MMR"),
    ("Phnom Penh", "KHM"),
    ("Vientiane", "LAO"),
    ("Kuala Lumpur", "MYS"),
    ("Ulaanbaatar", "MNG"),
    ("Bishkek", "KGZ"),
    ("Dushanbe", "TJK"),
    ("Ashgabat", "TKM"),
    ("Chisinau", "MDA"),
    ("Bucharest", "ROU"),
    ("Sofia", "BGR"),
    ("Zagreb", "HRV"),
    ("Sarajevo", "BIH"),
    ("Skopje", "MKD"),
    ("Tirana", "ALB"),
    ("Prague", "CZE"),
    ("Bratislava", "SVK"),
    ("Lisbon", "PRT"),
    ("Dublin", "IRL"),
    ("The Hague", "NLD"),
    ("Wellington", "NZL"),
];

/// International organisations and armed groups that news names as actors of their own.
const ORGANISATIONS: &[(&str, &str, ActorKind)] = &[
    ("United Nations", "United Nations", ActorKind::Organisation),
    ("UN", "United Nations", ActorKind::Organisation),
    ("U.N.", "United Nations", ActorKind::Organisation),
    (
        "UN Security Council",
        "UN Security Council",
        ActorKind::Organisation,
    ),
    (
        "Security Council",
        "UN Security Council",
        ActorKind::Organisation,
    ),
    ("NATO", "NATO", ActorKind::Organisation),
    ("European Union", "European Union", ActorKind::Organisation),
    ("EU", "European Union", ActorKind::Organisation),
    ("African Union", "African Union", ActorKind::Organisation),
    ("ASEAN", "ASEAN", ActorKind::Organisation),
    ("OPEC", "OPEC", ActorKind::Organisation),
    ("IAEA", "IAEA", ActorKind::Organisation),
    (
        "International Atomic Energy Agency",
        "IAEA",
        ActorKind::Organisation,
    ),
    (
        "World Health Organization",
        "World Health Organization",
        ActorKind::Organisation,
    ),
    ("WHO", "World Health Organization", ActorKind::Organisation),
    ("World Bank", "World Bank", ActorKind::Organisation),
    (
        "IMF",
        "International Monetary Fund",
        ActorKind::Organisation,
    ),
    (
        "International Monetary Fund",
        "International Monetary Fund",
        ActorKind::Organisation,
    ),
    ("Red Cross", "Red Cross", ActorKind::Organisation),
    ("OSCE", "OSCE", ActorKind::Organisation),
    ("CSTO", "CSTO", ActorKind::Organisation),
    (
        "Shanghai Cooperation Organisation",
        "SCO",
        ActorKind::Organisation,
    ),
    ("SCO", "SCO", ActorKind::Organisation),
    ("BRICS", "BRICS", ActorKind::Organisation),
    ("Hamas", "Hamas", ActorKind::Group),
    ("Hezbollah", "Hezbollah", ActorKind::Group),
    ("Taliban", "Taliban", ActorKind::Group),
    ("Houthis", "Houthis", ActorKind::Group),
    ("Houthi", "Houthis", ActorKind::Group),
    ("Islamic State", "Islamic State", ActorKind::Group),
    ("ECOWAS", "ECOWAS", ActorKind::Organisation),
    (
        "Economic Community of West African States",
        "ECOWAS",
        ActorKind::Organisation,
    ),
    (
        "Human Rights Watch",
        "Human Rights Watch",
        ActorKind::Organisation,
    ),
    (
        "Amnesty International",
        "Amnesty International",
        ActorKind::Organisation,
    ),
    (
        "International Criminal Court",
        "International Criminal Court",
        ActorKind::Organisation,
    ),
    (
        "International Committee of the Red Cross",
        "Red Cross",
        ActorKind::Organisation,
    ),
    ("ICRC", "Red Cross", ActorKind::Organisation),
    ("UNICEF", "UNICEF", ActorKind::Organisation),
    ("UNHCR", "UNHCR", ActorKind::Organisation),
    (
        "World Food Programme",
        "World Food Programme",
        ActorKind::Organisation,
    ),
    ("Wagner Group", "Wagner Group", ActorKind::Group),
    ("G7", "G7", ActorKind::Organisation),
    ("Arab League", "Arab League", ActorKind::Organisation),
    (
        "Gulf Cooperation Council",
        "Gulf Cooperation Council",
        ActorKind::Organisation,
    ),
];

/// Words of offices and ranks: a name right after them is a person's.
const TITLE_WORDS: &[&str] = &[
    "president",
    "vice",
    "prime",
    "minister",
    "ministers",
    "secretary",
    "deputy",
    "chief",
    "chairman",
    "chairwoman",
    "chair",
    "speaker",
    "commander",
    "general",
    "lieutenant",
    "major",
    "brigadier",
    "colonel",
    "captain",
    "admiral",
    "rank",
    "ambassador",
    "envoy",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "king",
    "queen",
    "prince",
    "crown",
    "emir",
    "sheikh",
    "sultan",
    "chancellor",
    "governor",
    "mayor",
    "senator",
    "leader",
    "head",
    "director",
    "counterpart",
    "attaché",
    "attache",
    "premier",
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "adm",
    "sgt",
    "pope",
    "ayatollah",
    "foreign",
    "defence",
    "defense",
    "officer",
    "lawmaker",
];

/// The words of a title that name an office (not a modifier like "foreign" or "deputy").
fn is_office(lower: &str) -> bool {
    TITLE_WORDS.contains(&lower)
        && !matches!(
            lower,
            "vice" | "prime" | "deputy" | "crown" | "rank" | "foreign" | "defence" | "defense"
        )
}

/// Institutions named with their country: the words, the name they get ("{}" is the
/// country) and the kind.
const INSTITUTIONS: &[(&str, &str, ActorKind)] = &[
    (
        "ministry of defence",
        "Ministry of Defence of {}",
        ActorKind::Organisation,
    ),
    (
        "ministry of defense",
        "Ministry of Defence of {}",
        ActorKind::Organisation,
    ),
    (
        "defence ministry",
        "Ministry of Defence of {}",
        ActorKind::Organisation,
    ),
    (
        "defense ministry",
        "Ministry of Defence of {}",
        ActorKind::Organisation,
    ),
    (
        "ministry of foreign affairs",
        "Ministry of Foreign Affairs of {}",
        ActorKind::Organisation,
    ),
    (
        "foreign ministry",
        "Ministry of Foreign Affairs of {}",
        ActorKind::Organisation,
    ),
    (
        "armed forces",
        "Armed Forces of {}",
        ActorKind::Organisation,
    ),
    (
        "military personnel",
        "Armed Forces of {}",
        ActorKind::Organisation,
    ),
    ("military", "Armed Forces of {}", ActorKind::Organisation),
    ("forces", "Armed Forces of {}", ActorKind::Organisation),
    ("troops", "Armed Forces of {}", ActorKind::Organisation),
    ("soldiers", "Armed Forces of {}", ActorKind::Organisation),
    ("army", "Army of {}", ActorKind::Organisation),
    ("navy", "Navy of {}", ActorKind::Organisation),
    ("navies", "Navy of {}", ActorKind::Organisation),
    ("armies", "Army of {}", ActorKind::Organisation),
    ("air force", "Air Force of {}", ActorKind::Organisation),
    ("government", "Government of {}", ActorKind::Organisation),
    (
        "military government",
        "Government of {}",
        ActorKind::Organisation,
    ),
    (
        "military rulers",
        "Government of {}",
        ActorKind::Organisation,
    ),
    ("rulers", "Government of {}", ActorKind::Organisation),
    ("junta", "Government of {}", ActorKind::Organisation),
    ("regime", "Government of {}", ActorKind::Organisation),
    ("leadership", "Government of {}", ActorKind::Organisation),
    ("authorities", "Government of {}", ActorKind::Organisation),
    ("officials", "Government of {}", ActorKind::Organisation),
    ("delegation", "Government of {}", ActorKind::Organisation),
    ("diplomats", "Government of {}", ActorKind::Organisation),
    ("parliament", "Parliament of {}", ActorKind::Organisation),
    ("lawmakers", "Parliament of {}", ActorKind::Organisation),
    ("embassy", "Embassy of {}", ActorKind::Organisation),
    ("police", "Police of {}", ActorKind::Organisation),
    ("president", "President of {}", ActorKind::Person),
    ("prime minister", "Prime Minister of {}", ActorKind::Person),
    (
        "foreign minister",
        "Foreign Minister of {}",
        ActorKind::Person,
    ),
    (
        "defence minister",
        "Defence Minister of {}",
        ActorKind::Person,
    ),
    (
        "defense minister",
        "Defence Minister of {}",
        ActorKind::Person,
    ),
    ("supreme leader", "Supreme Leader of {}", ActorKind::Person),
    ("leader", "Leader of {}", ActorKind::Person),
    ("ambassador", "Ambassador of {}", ActorKind::Person),
    ("king", "King of {}", ActorKind::Person),
    (
        "parliamentary speaker",
        "Speaker of the Parliament of {}",
        ActorKind::Person,
    ),
];

/// Name particles that may stand lower case inside a person's name.
const PARTICLES: &[&str] = &[
    "al", "bin", "ibn", "de", "van", "von", "der", "la", "el", "da",
];

/// Capitalised words that start sentences or headings and are never names.
const NOT_NAMES: &[&str] = &[
    "first",
    "second",
    "third",
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "for",
    "and",
    "but",
    "or",
    "this",
    "that",
    "these",
    "those",
    "he",
    "she",
    "it",
    "they",
    "we",
    "his",
    "her",
    "its",
    "their",
    "after",
    "before",
    "during",
    "since",
    "meanwhile",
    "additionally",
    "however",
    "both",
    "over",
    "under",
    "while",
    "as",
    "with",
    "read",
    "further",
    "photo",
    "by",
];

/// Words of institutions and places: a capitalised run holding one is no person's name.
const INSTITUTION_WORDS: &[&str] = &[
    "staff",
    "forces",
    "force",
    "army",
    "navy",
    "affairs",
    "ministry",
    "council",
    "assembly",
    "house",
    "commission",
    "agency",
    "news",
    "office",
    "department",
    "committee",
    "party",
    "union",
    "bank",
    "group",
    "university",
    "institute",
    "media",
    "guard",
    "corps",
    "parliament",
    "government",
    "embassy",
    "officers",
    "central",
    "national",
    "state",
    "republic",
    "federation",
    "security",
    "defence",
    "defense",
    "international",
    "company",
    "organization",
    "organisation",
    "air",
    "street",
    "square",
    "sea",
    "ocean",
    "river",
    "gulf",
    "strait",
    "island",
    "islands",
    "bay",
    "lake",
    "shoal",
    "region",
    "province",
    "port",
    "coast",
    "valley",
    "mountains",
    "desert",
    "peninsula",
    "canal",
];

/// Words after a country's name that make it part of a place's ("South China Sea").
const PLACE_WORDS: &[&str] = &[
    "sea",
    "ocean",
    "gulf",
    "strait",
    "bay",
    "river",
    "island",
    "islands",
    "peninsula",
    "canal",
    "coast",
    "shoal",
];

/// Finds the actors of sentences, remembering the people of the document (so that "Khrenin"
/// is the "Viktar Khrenin" met before) and of the paragraph (for "he", "the minister").
pub struct ActorFinder {
    countries: &'static CountryTable,
    /// Normalised names of known actors, international organisations and capitals.
    names: HashMap<String, ActorRef>,
    longest_name: usize,
    /// People met so far: by normalised full name and by surname.
    people: HashMap<String, ActorRef>,
    /// People of the current paragraph, with their titles, in order of mention.
    /// The third field is where the mention ends in the sentence being read (`None` for
    /// earlier sentences): "he" reaches back only to people named before it.
    paragraph_people: Vec<(ActorRef, String, Option<usize>)>,
}

impl ActorFinder {
    pub fn new(known: &[KnownActor]) -> Self {
        let countries = CountryTable::bundled();
        let mut names = HashMap::new();
        for &(name, iso3) in CAPITALS {
            if let Some(c) = countries.by_iso3(iso3) {
                names.insert(normalise_name(name), ActorRef::country(&c.name));
            }
        }
        for &(name, canonical, kind) in ORGANISATIONS {
            names.insert(
                normalise_name(name),
                ActorRef {
                    name: canonical.to_string(),
                    kind,
                    country: None,
                },
            );
        }
        let mut people = HashMap::new();
        for actor in known {
            let actor_ref = ActorRef {
                name: actor.name.clone(),
                kind: actor.kind,
                country: actor.country.clone(),
            };
            for name in std::iter::once(&actor.name).chain(&actor.aliases) {
                // Two-letter names in capitals are codes, not prose.
                if name.len() <= 2 {
                    continue;
                }
                names.insert(normalise_name(name), actor_ref.clone());
            }
            if actor.kind == ActorKind::Person {
                remember_person(&mut people, &actor_ref);
            }
        }
        let longest_name = names
            .keys()
            .map(|k| k.split(' ').count())
            .max()
            .unwrap_or(1)
            .clamp(4, 8);
        Self {
            countries,
            names,
            longest_name,
            people,
            paragraph_people: Vec::new(),
        }
    }

    /// A new paragraph: "he" and "the minister" no longer reach back.
    pub fn new_paragraph(&mut self) {
        self.paragraph_people.clear();
    }

    /// The country a (possibly multi-word) text names as a whole, with whether by demonym.
    fn country_of_text(&self, text: &str) -> Option<(String, bool)> {
        let m = self.countries.resolve_name(text).or_else(|| {
            // Plural demonyms: "Iranians".
            text.strip_suffix('s')
                .and_then(|t| self.countries.resolve_name(t))
                .filter(|m| m.rule == CountryRule::Demonym)
        })?;
        if m.rule == CountryRule::LocalName {
            return None;
        }
        Some((m.country.name.clone(), m.rule == CountryRule::Demonym))
    }

    /// A country named by the tokens `toks[i..]`: the longest run that is a country name (up
    /// to five tokens, "Democratic Republic of the Congo"). Returns the country, the end and
    /// whether it is a demonym.
    fn country_at(&self, toks: &[Token], i: usize) -> Option<(String, usize, bool)> {
        if !toks[i].is_capitalised() {
            return None;
        }
        let mut text = String::new();
        let mut best = None;
        for end in i..toks.len().min(i + 6) {
            let t = &toks[end];
            if t.kind == TokenKind::Punct && t.text != "." {
                break;
            }
            if end > i {
                text.push(' ');
            }
            text.push_str(&t.text);
            let place_after = toks
                .get(end + 1)
                .is_some_and(|n| n.is_capitalised() && PLACE_WORDS.contains(&n.lower.as_str()));
            if t.is_capitalised()
                && !place_after
                && let Some((country, demonym)) = self.country_of_text(&text)
            {
                best = Some((country, end + 1, demonym));
            }
            if t.possessive {
                break;
            }
        }
        best
    }

    /// A known name (dataset actor, organisation, capital) at `toks[i..]`: the longest.
    fn known_at(&self, toks: &[Token], i: usize) -> Option<(ActorRef, usize)> {
        if !toks[i].is_capitalised() && toks[i].kind != TokenKind::Word {
            return None;
        }
        let mut text = String::new();
        let mut best = None;
        for end in i..toks.len().min(i + self.longest_name) {
            let t = &toks[end];
            if end > i {
                text.push(' ');
            }
            text.push_str(&t.lower);
            if let Some(actor) = self.names.get(&text) {
                // Upper-case abbreviations ("UN", "EU") must be written in capitals.
                let written_ok = toks[i].is_capitalised()
                    && (toks[i..=end].iter().any(|t| t.text.len() > 3)
                        || toks[i..=end]
                            .iter()
                            .all(|t| t.text.chars().all(|c| !c.is_lowercase())));
                if written_ok {
                    best = Some((actor.clone(), end + 1));
                }
            }
            if t.possessive || t.kind == TokenKind::Punct {
                break;
            }
        }
        best
    }

    /// Every actor mention of a sentence's tokens, in order.
    pub fn find(&mut self, toks: &[Token]) -> Vec<Mention> {
        let n = toks.len();
        let mut covered = vec![false; n];
        let mut mentions: Vec<Mention> = Vec::new();

        self.find_people(toks, &mut covered, &mut mentions);
        // People named earlier in this sentence count for "he" later in it.
        for m in &mentions {
            let title = toks[m.tokens.clone()]
                .iter()
                .map(|t| t.lower.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            self.paragraph_people
                .retain(|(a, _, _)| a.name != m.actor.name);
            self.paragraph_people
                .push((m.actor.clone(), title, Some(m.tokens.end)));
        }

        let mut i = 0;
        while i < n {
            if covered[i] {
                i += 1;
                continue;
            }
            // Institutions: "the Ministry of Defence of Belarus", "Iran's armed forces",
            // "Belarusian troops", and offices without a name ("the Iranian president").
            if let Some((actor, range)) = self.institution_at(toks, i)
                && range.clone().all(|k| !covered[k])
            {
                for k in range.clone() {
                    covered[k] = true;
                }
                mentions.push(Mention {
                    tokens: range.clone(),
                    actor,
                    kind: MentionKind::Named,
                });
                i = range.end;
                continue;
            }
            if let Some((actor, end)) = self.known_at(toks, i) {
                let is_place = actor.kind == ActorKind::Country && is_place_before(toks, i);
                for c in covered.iter_mut().take(end).skip(i) {
                    *c = true;
                }
                mentions.push(Mention {
                    tokens: i..end,
                    actor,
                    kind: if is_place {
                        MentionKind::Location
                    } else {
                        MentionKind::Named
                    },
                });
                i = end;
                continue;
            }
            if let Some((country, end, demonym)) = self.country_at(toks, i) {
                for c in covered.iter_mut().take(end).skip(i) {
                    *c = true;
                }
                let kind = if demonym {
                    MentionKind::Demonym
                } else if is_place_before(toks, i) {
                    MentionKind::Location
                } else {
                    MentionKind::Named
                };
                mentions.push(Mention {
                    tokens: i..end,
                    actor: ActorRef::country(&country),
                    kind,
                });
                i = end;
                continue;
            }
            if let Some((actor, end)) = self.back_reference_at(toks, i) {
                mentions.push(Mention {
                    tokens: i..end,
                    actor,
                    kind: MentionKind::BackReference,
                });
                i = end;
                continue;
            }
            i += 1;
        }
        mentions.sort_by_key(|m| m.tokens.start);
        self.assign_respectively(toks, &mut mentions);
        for m in &mentions {
            if m.actor.kind == ActorKind::Person && m.kind == MentionKind::Named {
                let title = toks[m.tokens.clone()]
                    .iter()
                    .map(|t| t.lower.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                self.paragraph_people
                    .retain(|(a, _, _)| a.name != m.actor.name);
                self.paragraph_people.push((m.actor.clone(), title, None));
            }
        }
        for person in &mut self.paragraph_people {
            person.2 = None;
        }
        mentions
    }

    /// "Belarus and Iran … the ministers Viktar Khrenin and Aziz Nasirzadeh": two people
    /// without a country, joined by "and", after two countries joined by "and", belong to
    /// them in order.
    fn assign_respectively(&mut self, toks: &[Token], mentions: &mut [Mention]) {
        let joined = |a: &Mention, b: &Mention| {
            a.tokens.end < b.tokens.start
                && b.tokens.start - a.tokens.end <= 2
                && toks[a.tokens.end..b.tokens.start]
                    .iter()
                    .any(|t| t.is("and"))
        };
        let countries = (0..mentions.len().saturating_sub(1)).find(|&k| {
            let (a, b) = (&mentions[k], &mentions[k + 1]);
            a.actor.kind == ActorKind::Country
                && b.actor.kind == ActorKind::Country
                && a.actor.name != b.actor.name
                && joined(a, b)
        });
        let Some(c) = countries else { return };
        for k in c + 2..mentions.len().saturating_sub(1) {
            let (a, b) = (&mentions[k], &mentions[k + 1]);
            if a.actor.kind == ActorKind::Person
                && b.actor.kind == ActorKind::Person
                && a.actor.country.is_none()
                && b.actor.country.is_none()
                && joined(a, b)
            {
                let first = mentions[c].actor.name.clone();
                let second = mentions[c + 1].actor.name.clone();
                mentions[k].actor.country = Some(first);
                mentions[k + 1].actor.country = Some(second);
                remember_person(&mut self.people, &mentions[k].actor);
                remember_person(&mut self.people, &mentions[k + 1].actor);
                return;
            }
        }
    }

    /// "he", "she", "the minister": the one person of the paragraph that fits.
    fn back_reference_at(&self, toks: &[Token], i: usize) -> Option<(ActorRef, usize)> {
        let t = &toks[i];
        let (office, end) = match t.lower.as_str() {
            "he" | "she" | "him" | "her" => (None, i + 1),
            "the" => {
                let next = toks.get(i + 1)?;
                if !is_office(&next.lower) || next.lower == "head" || next.lower == "general" {
                    return None;
                }
                // "the minister of X" is an institution or office, not a back-reference.
                if toks.get(i + 2).is_some_and(|t| t.is("of")) {
                    return None;
                }
                (Some(next.lower.as_str()), i + 2)
            }
            _ => return None,
        };
        // "her" before a noun is a possessive ("her visit"): only as an object pronoun.
        if t.lower == "her"
            && toks
                .get(i + 1)
                .is_some_and(|n| n.kind == TokenKind::Word && !n.is("and"))
        {
            return None;
        }
        let fitting: Vec<&ActorRef> = self
            .paragraph_people
            .iter()
            .filter(|(_, title, end)| {
                office.is_none_or(|o| title.contains(o)) && end.is_none_or(|e| e <= i)
            })
            .map(|(a, _, _)| a)
            .collect();
        match fitting.as_slice() {
            [one] => Some(((*one).clone(), end)),
            _ => None,
        }
    }

    /// An institution or a nameless office with its country at `toks[i..]`.
    fn institution_at(&self, toks: &[Token], i: usize) -> Option<(ActorRef, Range<usize>)> {
        let start = i;
        let mut i = i;
        if toks[i].is("the") || toks[i].is("a") || toks[i].is("an") {
            i += 1;
        }
        if i >= toks.len() {
            return None;
        }
        // "<Country>'s <institution>" / "<Demonym> <institution>"
        if let Some((country, after, demonym)) = self.country_at(toks, i)
            && (demonym || toks[after - 1].possessive)
        {
            // One modifier may stand between: "Iranian top officials", "Iran's state media".
            let modifier = toks.get(after).is_some_and(|t| {
                matches!(
                    t.lower.as_str(),
                    "top" | "senior" | "state" | "own" | "new" | "visiting" | "high" | "high-level"
                )
            });
            let at = if modifier { after + 1 } else { after };
            if let Some((template, kind, end)) = institution_words(toks, at) {
                // A name after the office makes it a person's title (found before).
                if kind == ActorKind::Person && toks.get(end).is_some_and(|t| t.is_capitalised()) {
                    return None;
                }
                return Some((
                    ActorRef {
                        name: template.replace("{}", &country),
                        kind,
                        country: Some(country),
                    },
                    start..end,
                ));
            }
            return None;
        }
        // "<institution> of [the] <Country>"
        if let Some((template, kind, end)) = institution_words(toks, i)
            && toks.get(end).is_some_and(|t| t.is("of"))
        {
            let mut c = end + 1;
            if toks.get(c).is_some_and(|t| t.is("the")) {
                c += 1;
            }
            if c < toks.len()
                && let Some((country, after, false)) = self.country_at(toks, c)
            {
                return Some((
                    ActorRef {
                        name: template.replace("{}", &country),
                        kind,
                        country: Some(country),
                    },
                    start..after,
                ));
            }
        }
        None
    }

    /// People: a capitalised name after a title ("Defence Minister Viktar Khrenin", "his
    /// Iranian counterpart, Mohammad Ashtiani"), before an appositive title ("Sergey Rachkov,
    /// Chairman of …"), joined to another person ("Khrenin and Aziz Nasirzadeh"), or met before.
    fn find_people(&mut self, toks: &[Token], covered: &mut [bool], mentions: &mut Vec<Mention>) {
        let n = toks.len();
        let mut i = 0;
        let mut previous_person_end: Option<usize> = None;
        while i < n {
            if !self.name_word(toks, i) {
                i += 1;
                continue;
            }
            // A name of several words that is known ("Addis Ababa", "Human Rights Watch") is
            // no person's.
            if let Some((actor, end)) = self.known_at(toks, i)
                && actor.kind != ActorKind::Person
            {
                i = end;
                continue;
            }
            // Nor is a country of several words ("South Korea").
            if let Some((_, end, _)) = self.country_at(toks, i) {
                i = end;
                continue;
            }
            let mut end = i + 1;
            while end < n
                && (self.name_word(toks, end)
                    || (PARTICLES.contains(&toks[end].lower.as_str())
                        && end + 1 < n
                        && self.name_word(toks, end + 1)))
                && !toks[end - 1].possessive
                && end - i < 5
            {
                end += 1;
            }
            let name = toks[i..end]
                .iter()
                .map(|t| t.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let key = normalise_name(&name);
            let known = self.people.get(&key).cloned();
            // A title never reaches into the person before ("Khrenin and Aziz …").
            let title = self
                .title_before(toks, i)
                .filter(|t| previous_person_end.is_none_or(|p| t.0 >= p));
            let appositive = appositive_title_after(toks, end);
            let joined = previous_person_end.is_some_and(|p| {
                toks[p..i].iter().all(|t| t.is("and") || t.text == ",")
                    && toks[p..i].iter().any(|t| t.is("and"))
            });
            let verb_after = toks
                .get(end)
                .is_some_and(|t| matches!(t.lower.as_str(), "said" | "says" | "told" | "added"));
            let long_enough = end - i >= 2;
            let institution = toks[i..end]
                .iter()
                .any(|t| INSTITUTION_WORDS.contains(&t.lower.as_str()));
            // Two to four capitalised words that are no institution, country or title, in
            // the middle of a sentence: a name, most often a person's.
            let bare_name = long_enough
                && !institution
                && end - i <= 4
                && i > 0
                && !toks[i - 1].is_capitalised()
                && toks
                    .get(end)
                    .is_none_or(|t| !t.is_capitalised() && !t.is("of"));
            let is_person = known.is_some()
                || (title.is_some()
                    && !institution
                    && (long_enough || title.as_ref().is_some_and(|t| t.1)))
                || (long_enough && !institution && (appositive.is_some() || joined || verb_after))
                || bare_name;
            if !is_person {
                i = end;
                continue;
            }
            let mut country = None;
            let mut start = i;
            if let Some((title_start, _, title_country)) = &title {
                start = *title_start;
                country = title_country.clone();
            }
            if country.is_none()
                && let Some(appositive_end) = appositive
            {
                country = self.country_in(toks, end..appositive_end);
            }
            let actor = match known {
                Some(mut person) => {
                    if person.country.is_none() && country.is_some() {
                        person.country = country;
                        remember_person(&mut self.people, &person);
                    }
                    person
                }
                None => {
                    let person = ActorRef {
                        name,
                        kind: ActorKind::Person,
                        country,
                    };
                    remember_person(&mut self.people, &person);
                    person
                }
            };
            for c in covered.iter_mut().take(end).skip(start) {
                *c = true;
            }
            mentions.push(Mention {
                tokens: start..end,
                actor,
                kind: MentionKind::Named,
            });
            previous_person_end = Some(end);
            i = end;
        }
    }

    /// Whether `toks[i]` can be part of a person's name: capitalised, not a title, month,
    /// country, known organisation or sentence-starting function word.
    fn name_word(&self, toks: &[Token], i: usize) -> bool {
        let t = &toks[i];
        let initial = t.text.len() == 2 && t.text.ends_with('.');
        t.is_capitalised()
            && (initial || t.text.chars().any(|c| c.is_lowercase()))
            && !TITLE_WORDS.contains(&t.lower.as_str())
            && !NOT_NAMES.contains(&t.lower.as_str())
            && !INSTITUTION_WORDS.contains(&t.lower.as_str())
            && super::dates::month_number(&t.lower).is_none()
            && !matches!(
                t.lower.as_str(),
                "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday"
            )
            && self.country_of_text(&t.text).is_none()
            && !self.names.contains_key(&t.lower)
    }

    /// The title before a name at `name_start`: (its first token, whether it holds an office
    /// word that allows a one-word name, its country).
    fn title_before(
        &self,
        toks: &[Token],
        name_start: usize,
    ) -> Option<(usize, bool, Option<String>)> {
        let mut k = name_start;
        let mut start = name_start;
        let mut office = false;
        let mut crossed_comma = false;
        while k > 0 {
            let t = &toks[k - 1];
            let lower = t.lower.as_str();
            let office_before = k >= 2 && is_office(&toks[k - 2].lower);
            if t.text == "," && !crossed_comma && (k == name_start || office_before) {
                // "counterpart, Mohammad Ashtiani": a comma right after an office, or after
                // "… of <Country>" that follows one.
                crossed_comma = true;
                k -= 1;
                continue;
            }
            let title_word = TITLE_WORDS.contains(&lower);
            let joins = matches!(
                lower,
                "of" | "the"
                    | "and"
                    | "-"
                    | "first"
                    | "second"
                    | "top"
                    | "state"
                    | "army"
                    | "air"
                    | "force"
                    | "forces"
                    | "staff"
                    | "armed"
                    | "military"
                    | "general"
                    | "naval"
                    | "national"
                    | "foreign"
                    | "affairs"
                    | "international"
            );
            let capitalised = t.is_capitalised() && !NOT_NAMES.contains(&lower);
            if title_word || joins || capitalised {
                if is_office(lower) {
                    office = true;
                }
                k -= 1;
                if title_word || capitalised {
                    start = k;
                }
                if t.possessive && !title_word {
                    // "Iran's Army Commander": the possessive starts the title.
                    break;
                }
                continue;
            }
            break;
        }
        // A title ends in an office word (the last title word before the name, possibly
        // across the comma) or holds one with "of" ("Chairman of … of Belarus, Igor …").
        if !office || start == name_start {
            return None;
        }
        let title_range = start..name_start;
        if crossed_comma {
            // Across a comma only if an office word stands in the title.
            let before_comma = &toks[start..name_start - 1];
            if !before_comma.iter().any(|t| is_office(&t.lower)) {
                return None;
            }
        }
        let country = self.country_in(toks, title_range);
        // "Minister Nasirzadeh": a one-word name right after a title word.
        let one_word_ok = TITLE_WORDS.contains(&toks[name_start - 1].lower.as_str());
        Some((start, one_word_ok, country))
    }

    /// The country named in a span (the last one), by name, demonym or possessive.
    fn country_in(&self, toks: &[Token], range: Range<usize>) -> Option<String> {
        let mut found = None;
        let mut k = range.start;
        while k < range.end {
            if let Some((country, end, _)) = self.country_at(toks, k) {
                found = Some(country);
                k = end;
            } else if let Some((actor, end)) = self.known_at(toks, k) {
                if actor.kind == ActorKind::Country {
                    found = actor.country;
                }
                k = end;
            } else {
                k += 1;
            }
        }
        found
    }
}

/// The institution (or nameless office) words at `toks[i..]`: the name template, kind and
/// the end.
fn institution_words(toks: &[Token], i: usize) -> Option<(&'static str, ActorKind, usize)> {
    let mut best: Option<(&'static str, ActorKind, usize)> = None;
    for &(words, template, kind) in INSTITUTIONS {
        let parts: Vec<&str> = words.split(' ').collect();
        let fits = parts
            .iter()
            .enumerate()
            .all(|(k, w)| toks.get(i + k).is_some_and(|t| t.lower == *w));
        if fits && best.is_none_or(|b| i + parts.len() > b.2) {
            best = Some((template, kind, i + parts.len()));
        }
    }
    best
}

/// The end of an appositive title after a name: ", [the] Chairman of …," → the token after
/// the title words.
fn appositive_title_after(toks: &[Token], name_end: usize) -> Option<usize> {
    if toks.get(name_end).is_none_or(|t| t.text != ",") {
        return None;
    }
    let mut k = name_end + 1;
    if toks
        .get(k)
        .is_some_and(|t| t.is("the") || t.is("a") || t.is("an"))
    {
        k += 1;
    }
    let mut office = false;
    let mut end = k;
    while let Some(t) = toks.get(end) {
        if t.text == ","
            || t.text == "."
            || (t.kind == TokenKind::Word
                && !t.is_capitalised()
                && !matches!(t.lower.as_str(), "of" | "the" | "on" | "in" | "for" | "and")
                && !TITLE_WORDS.contains(&t.lower.as_str()))
        {
            break;
        }
        if is_office(&t.lower) {
            office = true;
        }
        end += 1;
        if end - k > 14 {
            break;
        }
    }
    if office { Some(end) } else { None }
}

/// Whether the token before `i` makes the name at `i` a place ("in Minsk", "at the Kremlin").
fn is_place_before(toks: &[Token], i: usize) -> bool {
    let mut k = i;
    if k > 0 && toks[k - 1].is("the") {
        k -= 1;
    }
    k > 0
        && matches!(
            toks[k - 1].lower.as_str(),
            "in" | "at"
                | "near"
                | "outside"
                | "inside"
                | "across"
                | "throughout"
                | "within"
                | "around"
        )
}

fn remember_person(people: &mut HashMap<String, ActorRef>, person: &ActorRef) {
    people.insert(normalise_name(&person.name), person.clone());
    if let Some(surname) = person.name.split_whitespace().last()
        && person.name.contains(' ')
    {
        people.insert(normalise_name(surname), person.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::super::text::tokens;
    use super::*;

    fn found(finder: &mut ActorFinder, sentence: &str) -> Vec<(String, String, Option<String>)> {
        let toks = tokens(sentence, 0..sentence.len());
        finder
            .find(&toks)
            .into_iter()
            .map(|m| {
                (
                    m.actor.name,
                    m.actor.kind.label().to_string(),
                    m.actor.country,
                )
            })
            .collect()
    }

    fn person(name: &str, country: Option<&str>) -> (String, String, Option<String>) {
        (name.into(), "person".into(), country.map(Into::into))
    }

    fn org(name: &str, country: &str) -> (String, String, Option<String>) {
        (name.into(), "organisation".into(), Some(country.into()))
    }

    fn country(name: &str) -> (String, String, Option<String>) {
        (name.into(), "country".into(), Some(name.into()))
    }

    #[test]
    fn people_with_titles_take_the_country_of_the_title() {
        let mut f = ActorFinder::new(&[]);
        assert_eq!(
            found(
                &mut f,
                "Belarusian Defense Minister Viktar Khrenin met with his Iranian counterpart, Mohammad Ashtiani."
            ),
            [
                person("Viktar Khrenin", Some("Belarus")),
                person("Mohammad Ashtiani", Some("Iran"))
            ]
        );
        assert_eq!(
            found(
                &mut f,
                "Iran's Chief of General Staff Mohammad Bagheri spoke."
            ),
            [person("Mohammad Bagheri", Some("Iran"))]
        );
        assert_eq!(
            found(
                &mut f,
                "Indian External Affairs Minister S. Jaishankar spoke."
            ),
            [person("S. Jaishankar", Some("India"))]
        );
        // Met before: the surname alone, and the country learnt then.
        assert_eq!(
            found(&mut f, "Khrenin left."),
            [person("Viktar Khrenin", Some("Belarus"))]
        );
    }

    #[test]
    fn institutions_and_countries() {
        let mut f = ActorFinder::new(&[]);
        assert_eq!(
            found(
                &mut f,
                "The Ministry of Defence of Belarus thanked the armed forces of Iran and Iranian troops in Minsk."
            ),
            [
                org("Ministry of Defence of Belarus", "Belarus"),
                org("Armed Forces of Iran", "Iran"),
                org("Armed Forces of Iran", "Iran"),
                country("Belarus"),
            ]
        );
        assert_eq!(
            found(
                &mut f,
                "Minsk and Tehran met the U.S. and the UN, but US and IS are words."
            ),
            [
                country("Belarus"),
                country("Iran"),
                country("United States"),
                ("United Nations".into(), "organisation".into(), None)
            ]
        );
    }

    #[test]
    fn capitals_of_two_words_are_their_country_not_a_person() {
        let mut f = ActorFinder::new(&[]);
        assert_eq!(
            found(&mut f, "Mogadishu recalled its ambassador to Addis Ababa."),
            [country("Somalia"), country("Ethiopia")]
        );
        assert_eq!(
            found(&mut f, "Then South Korea warned North Korea."),
            [country("South Korea"), country("North Korea")]
        );
    }

    #[test]
    fn he_and_the_minister_resolve_when_one_person_fits() {
        let mut f = ActorFinder::new(&[]);
        let toks = tokens("Foreign Minister Ann Lee arrived.", 0..33);
        f.find(&toks);
        let s = "The minister said he would stay.";
        let names: Vec<String> = f
            .find(&tokens(s, 0..s.len()))
            .into_iter()
            .map(|m| m.actor.name)
            .collect();
        assert_eq!(names, ["Ann Lee", "Ann Lee"]);
        f.new_paragraph();
        assert!(f.find(&tokens(s, 0..s.len())).is_empty());
    }

    #[test]
    fn known_actors_are_found_by_their_aliases() {
        let known = [KnownActor {
            name: "Viktar Khrenin".into(),
            kind: ActorKind::Person,
            country: Some("Belarus".into()),
            aliases: vec!["Viktor Khrenin".into()],
        }];
        let mut f = ActorFinder::new(&known);
        assert_eq!(
            found(&mut f, "Viktor Khrenin spoke."),
            [person("Viktar Khrenin", Some("Belarus"))]
        );
    }
}
