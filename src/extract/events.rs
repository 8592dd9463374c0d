//! What happened: a lexicon of verbs and phrases mapped to the 20 CAMEO root categories,
//! negation and modality around them, and who did it to whom (the subject and object of the
//! phrase, as far as word order shows them).
//!
//! The lexicon is our own, written from the category definitions of the CAMEO codebook
//! (Schrodt, 2012); no coding dictionary (PETRARCH, TABARI) is copied.

use std::ops::Range;

use super::actors::{Mention, MentionKind};
use super::text::{Token, TokenKind};

/// Verbs and nouns of events: forms (`|`-separated; a form of several words allows up to four
/// words between them: "ordered the French ambassador to leave"), CAMEO root (1–20), priority (the more specific phrase wins when one
/// sentence holds several for the same actors) and whether the forms are nouns (weaker:
/// "talks", "sanctions" name events less surely than verbs).
const LEXICON: &[(&str, u8, u8, bool)] = &[
    // 01 make public statement: only verbs that take the other actor as object.
    (
        "highlighted|stressed|emphasized|emphasised|reiterated",
        1,
        0,
        false,
    ),
    // 02 appeal
    (
        "urged|urges|urge|called on|calls on|called for|appealed|appeals to|asked",
        2,
        3,
        false,
    ),
    // 03 express intent to cooperate
    (
        "pledged|pledges|promised|promises|vowed|offered|offers|agreed to|agree to|expressed willingness|expressed readiness|invited|invites|inviting",
        3,
        3,
        false,
    ),
    // 04 consult
    (
        "met|meet|meets|meeting with|held talks|hold talks|holds talks|talked|spoke with|spoke to|discussed|discuss|discusses|negotiated|negotiate|negotiates|consulted|hosted|hosts|host|received",
        4,
        2,
        false,
    ),
    (
        "visited|visit|visits|visiting|travelled to|traveled to|travels to|arrived in|arrives in|attended|attends",
        4,
        3,
        false,
    ),
    (
        "meeting|meetings|talks|discussions|negotiations|consultations|summit|session|phone call|telephone conversation|visit|visits|trip",
        4,
        1,
        true,
    ),
    // 05 engage in diplomatic cooperation
    ("signed|sign|signs|signing|concluded", 5, 5, false),
    (
        "agreement|accord|treaty|memorandum|protocol|deal",
        5,
        1,
        true,
    ),
    (
        "reached agreement|reached a deal|reached deal|struck a deal",
        5,
        5,
        false,
    ),
    (
        "congratulated|congratulates|congratulating|congratulate|praised|praises|commended|hailed|thanked|thanks",
        5,
        4,
        false,
    ),
    (
        "recognized|recognised|recognizes|recognises|accredited|endorsed|backed|supported|supports|apologized|apologised",
        5,
        3,
        false,
    ),
    (
        "established diplomatic relations|establish diplomatic relations|established relations|restored relations|restored ties|normalised relations|normalized relations",
        5,
        6,
        false,
    ),
    // 06 engage in material cooperation
    (
        "exercise|exercises|drills|maneuvers|manoeuvres|war games",
        6,
        3,
        true,
    ),
    (
        "cooperated|co-operated|trained|participated in|took part in|take part in|shared intelligence|sold|exported",
        6,
        2,
        false,
    ),
    // 07 provide aid
    (
        "provided|provides|provide|donated|deliver|delivered|delivers|supplied|supplies|sent aid|granted",
        7,
        3,
        false,
    ),
    ("aid|assistance", 7, 1, true),
    // 08 yield
    (
        "released|freed|withdrew|withdraws|lifted|eased|returned|handed over|ceded|conceded|exchanged|swapped",
        8,
        3,
        false,
    ),
    ("ceasefire|truce|withdrawal|release", 8, 2, true),
    // 09 investigate
    (
        "investigated|investigates|investigating|probed",
        9,
        3,
        false,
    ),
    ("investigation|probe|inquiry", 9, 1, true),
    // 10 demand
    ("demanded|demands|demand|insisted", 10, 3, false),
    // 11 disapprove
    (
        "condemned|condemns|condemn|criticized|criticised|criticizes|criticises|denounced|denounces|accused|accuses|blamed|blames|rebuked|slammed|censured|summoned|protested to",
        11,
        4,
        false,
    ),
    // 12 reject
    (
        "rejected|rejects|refused|refuses|dismissed|denied|vetoed|boycotted",
        12,
        4,
        false,
    ),
    // 13 threaten
    ("threatened|threatens|threaten|warned|warns", 13, 4, false),
    ("ultimatum", 13, 2, true),
    // 14 protest
    (
        "protested|protests|demonstrated|rallied|marched",
        14,
        2,
        false,
    ),
    // 15 exhibit force posture
    (
        "deployed|deploys|deploy|mobilized|mobilised|massed|patrolled",
        15,
        3,
        false,
    ),
    ("deployment|buildup|build-up", 15, 1, true),
    // 16 reduce relations
    (
        "sanctioned|sanctions|sanction|expelled|expels|expel|banned|bans|suspended|suspends|severed|cut ties|recalled|froze|freezes|downgraded|halted|cancelled|canceled|closed|extended sanctions|imposed sanctions|imposed",
        16,
        4,
        false,
    ),
    ("embargo", 16, 2, true),
    // 17 coerce
    (
        "arrested|detained|seized|confiscated|deported|raided|blockaded|jailed|imprisoned|sentenced",
        17,
        4,
        false,
    ),
    ("blockade", 17, 2, true),
    // 18 assault
    (
        "abducted|kidnapped|assassinated|tortured|killed|executed",
        18,
        4,
        false,
    ),
    ("bombing|assassination|abduction", 18, 2, true),
    // 19 fight
    (
        "attacked|attacks|attack|struck|strikes|shelled|bombed|bombarded|invaded|invades|clashed|fought|shot down|fired missiles|launched missiles|launched drones|launched strikes|launched an attack",
        19,
        4,
        false,
    ),
    (
        "airstrike|airstrikes|air strike|air strikes|invasion|offensive|clashes|shelling|fighting",
        19,
        2,
        true,
    ),
    // 20 use unconventional mass violence
    (
        "massacred|massacre|genocide|ethnic cleansing|chemical attack",
        20,
        5,
        false,
    ),
];

/// Whether the event is said to have happened, to be meant, or not to have happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Polarity {
    Asserted,
    /// "plans to", "was scheduled to", "will": an intention.
    Intended,
    /// "did not", "never".
    Negated,
}

/// An event phrase in a sentence.
#[derive(Clone, Debug)]
pub struct Trigger {
    pub tokens: Range<usize>,
    pub root: u8,
    pub priority: u8,
    pub noun: bool,
    pub polarity: Polarity,
    /// "refused to meet": the event becomes a rejection.
    pub refused: bool,
}

/// Words that make what follows an intention.
const MODAL_WORDS: &[&str] = &[
    "will",
    "would",
    "could",
    "may",
    "might",
    "should",
    "shall",
    "plans",
    "planned",
    "plan",
    "scheduled",
    "expected",
    "intends",
    "intended",
    "aims",
    "hopes",
    "hoped",
    "wants",
    "seeks",
    "set",
    "proposed",
    "ready",
    "willing",
    "prepared",
];

/// Words before "to" that make the verb after it an intention ("agreed to meet").
const INTENT_BEFORE_TO: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "agreed",
    "agree",
    "agrees",
    "decided",
    "threatened",
    "threatens",
    "vowed",
    "pledged",
    "promised",
    "offered",
];

/// People an act is done with, whose place names the other side ("officials in Belarus").
const PEOPLE_WORDS: &[&str] = &[
    "officials",
    "leaders",
    "counterparts",
    "counterpart",
    "troops",
    "forces",
    "delegation",
    "ministers",
    "representatives",
    "authorities",
    "personnel",
    "soldiers",
    "diplomats",
    "officers",
    "commanders",
    "lawmakers",
    "envoys",
    "ambassador",
];

/// Words before a noun that make it no event of its own ("despite sanctions").
const BACKGROUND_WORDS: &[&str] = &[
    "despite", "amid", "against", "over", "under", "because", "without", "new", "further",
];

struct Form {
    words: Vec<&'static str>,
    root: u8,
    priority: u8,
    noun: bool,
}

fn forms() -> &'static [Form] {
    static FORMS: std::sync::OnceLock<Vec<Form>> = std::sync::OnceLock::new();
    FORMS.get_or_init(|| {
        let mut out = Vec::new();
        for &(list, root, priority, noun) in LEXICON {
            for form in list.split('|') {
                out.push(Form {
                    words: form.split(' ').collect(),
                    root,
                    priority,
                    noun,
                });
            }
        }
        // Longer forms first, so that "held talks" wins over "talks".
        out.sort_by_key(|f| std::cmp::Reverse(f.words.len()));
        out
    })
}

/// The form matching at `toks[i]` (its end), trying longer forms first.
fn form_at(toks: &[Token], i: usize) -> Option<(&'static Form, usize)> {
    'forms: for form in forms() {
        if toks[i].lower != form.words[0] {
            continue;
        }
        let mut at = i;
        for word in &form.words[1..] {
            let next = (at + 1..toks.len().min(at + 6)).find(|&k| toks[k].lower == *word);
            match next {
                // Nothing but words between ("held talks", "held lengthy talks").
                Some(k) if toks[at + 1..k].iter().all(|t| t.kind == TokenKind::Word) => at = k,
                _ => continue 'forms,
            }
        }
        return Some((form, at + 1));
    }
    None
}

/// The event phrases of a sentence, with negation and modality read from the words before.
pub fn find_triggers(toks: &[Token]) -> Vec<Trigger> {
    let mut out: Vec<Trigger> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let Some((form, end)) = form_at(toks, i) else {
            i += 1;
            continue;
        };
        // "Iran-backed", "US-led": a hyphenated modifier, not a verb.
        if i > 0 && toks[i - 1].text == "-" {
            i = end;
            continue;
        }
        // "the visit", "a meeting" are nouns even where the form is also a verb.
        let after_article = i > 0
            && matches!(
                toks[i - 1].lower.as_str(),
                "the" | "a" | "an" | "his" | "her" | "its" | "their" | "first" | "latest"
            );
        let noun = form.noun || after_article;
        if noun
            && toks[i.saturating_sub(3)..i]
                .iter()
                .any(|t| BACKGROUND_WORDS.contains(&t.lower.as_str()))
        {
            i = end;
            continue;
        }
        let (polarity, refused) = polarity_before(toks, i);
        out.push(Trigger {
            tokens: i..end,
            root: form.root,
            priority: form.priority,
            noun,
            polarity,
            refused,
        });
        i = end;
    }
    out
}

/// Negation and modality in the few words before a trigger, up to a clause boundary.
fn polarity_before(toks: &[Token], i: usize) -> (Polarity, bool) {
    let mut polarity = Polarity::Asserted;
    let mut refused = false;
    let from = i.saturating_sub(4);
    for k in (from..i).rev() {
        let t = &toks[k];
        if t.kind == TokenKind::Punct
            || matches!(t.lower.as_str(), "and" | "but" | "that" | "which" | "who")
        {
            break;
        }
        let w = t.lower.as_str();
        if matches!(w, "not" | "never" | "no" | "neither" | "nor") || w.ends_with("n't") {
            polarity = Polarity::Negated;
        } else if matches!(
            w,
            "refused" | "declined" | "refuses" | "declines" | "rejected"
        ) {
            refused = true;
        } else if (MODAL_WORDS.contains(&w)
            || (w == "to" && k > 0 && INTENT_BEFORE_TO.contains(&toks[k - 1].lower.as_str())))
            && polarity != Polarity::Negated
        {
            polarity = Polarity::Intended;
        }
    }
    (polarity, refused)
}

/// The CAMEO root an event ends up with once polarity is read: a refused event is a
/// rejection (12), an intended cooperation an intent to cooperate (03), an intended use of
/// force a threat (13). Negated events are none.
pub fn final_root(trigger: &Trigger, military: bool) -> Option<u8> {
    if trigger.refused {
        return Some(12);
    }
    // Signing a military or security agreement is material cooperation, not only
    // diplomatic.
    let root = if trigger.root == 5 && trigger.priority == 5 && military {
        6
    } else {
        trigger.root
    };
    match trigger.polarity {
        Polarity::Negated => None,
        Polarity::Asserted => Some(root),
        Polarity::Intended => match root {
            4..=8 => Some(3),
            15..=20 => Some(13),
            r => Some(r),
        },
    }
}

/// Who is actor1 and who actor2 of a trigger: indices into `mentions`.
#[derive(Clone, Debug, PartialEq)]
pub struct Roles {
    pub actor1: usize,
    pub actor2: usize,
    /// How sure the reading of the roles is (0–1).
    pub certainty: f32,
}

fn preceded_by_preposition(toks: &[Token], m: &Mention) -> bool {
    // "the foreign ministers of India and China met": "of" after the people who act.
    let of_people = m.tokens.start >= 2
        && toks[m.tokens.start - 1].is("of")
        && (PEOPLE_WORDS.contains(&toks[m.tokens.start - 2].lower.as_str())
            || matches!(
                toks[m.tokens.start - 2].lower.as_str(),
                "ministers" | "presidents" | "heads" | "leaders" | "chiefs"
            ));
    !of_people
        && m.tokens.start > 0
        && matches!(
            toks[m.tokens.start - 1].lower.as_str(),
            "with"
                | "to"
                | "from"
                | "for"
                | "against"
                | "on"
                | "of"
                | "by"
                | "into"
                | "toward"
                | "towards"
                | "between"
                | "including"
                | "among"
                | "than"
                | "like"
                | "about"
        )
}

/// Mentions joined to `mentions[k]` by "and", "," or "-" (a coordination), walking in one
/// direction.
fn coordinated(toks: &[Token], mentions: &[Mention], k: usize, leftwards: bool) -> Vec<usize> {
    let mut group = vec![k];
    let mut at = k;
    loop {
        let next = if leftwards {
            at.checked_sub(1)
        } else {
            Some(at + 1).filter(|&n| n < mentions.len())
        };
        let Some(next) = next else { break };
        let (left, right) = if leftwards {
            (&mentions[next], &mentions[at])
        } else {
            (&mentions[at], &mentions[next])
        };
        if left.tokens.end > right.tokens.start {
            break;
        }
        let between = &toks[left.tokens.end..right.tokens.start];
        // "A and B", "A, and B", "Belarusian-Iranian"; a comma alone is an apposition.
        let joins = !between.is_empty()
            && between.len() <= 3
            && between.iter().all(|t| {
                matches!(
                    t.lower.as_str(),
                    "and"
                        | ","
                        | "-"
                        | "&"
                        | "both"
                        | "the"
                        | "as"
                        | "well"
                        | "his"
                        | "her"
                        | "its"
                        | "their"
                )
            })
            && between
                .iter()
                .any(|t| matches!(t.text.as_str(), "and" | "-" | "&"));
        let same_kind_ok = mentions[next].kind != MentionKind::Location;
        if !(joins && same_kind_ok) {
            break;
        }
        group.push(next);
        at = next;
    }
    if leftwards {
        group.reverse();
    }
    group
}

/// Finds actor1 and actor2 of each trigger. `subjects_of_previous` carries the subject of
/// the previous trigger for purpose clauses ("visited Iran to meet …", "…, congratulating X").
pub fn assign_roles(
    toks: &[Token],
    mentions: &[Mention],
    trigger: &Trigger,
    next_verb: Option<usize>,
    previous_subject: Option<&[usize]>,
    main_subject: Option<&[usize]>,
) -> (Vec<usize>, Vec<Roles>) {
    let start = trigger.tokens.start;
    let end = trigger.tokens.end;
    let before_word = start.checked_sub(1).map(|k| toks[k].lower.as_str());
    let before_before = start.checked_sub(2).map(|k| toks[k].lower.as_str());
    let is_ing = toks[start].lower.ends_with("ing") && !trigger.noun;

    // The subject: who stands before the phrase (not the object of an earlier preposition).
    let mut subject: Vec<usize> = Vec::new();
    let purpose =
        before_word == Some("to") && !matches!(before_before, Some("is" | "was" | "are" | "were"));
    let participle = is_ing
        && matches!(
            before_word,
            Some("," | "and" | "while" | "after" | "before" | "by")
        );
    // "summoned the envoy and demanded …": a second verb shares the first one's subject.
    let coordinated_verb = !trigger.noun && before_word == Some("and");
    if (purpose || participle || coordinated_verb)
        && let Some(carried) = previous_subject.or(main_subject)
    {
        subject = carried.to_vec();
    }
    if subject.is_empty() {
        let nearest = mentions.iter().enumerate().rev().find(|(_, m)| {
            m.tokens.end <= start
                && m.kind != MentionKind::Location
                && !preceded_by_preposition(toks, m)
        });
        if let Some((k, _)) = nearest {
            let group = coordinated(toks, mentions, k, true);
            // "delegations from Russia and Ukraine": the group is a preposition's object.
            if !preceded_by_preposition(toks, &mentions[group[0]]) {
                subject = group;
            }
        }
    }

    // Passive: "was attacked by X".
    let passive = matches!(
        before_word,
        Some("was" | "were" | "been" | "is" | "are" | "being")
    ) && toks[start].lower.ends_with("ed");

    // Objects: the first mention after the phrase (and those coordinated with it), up to the
    // next clause-like break.
    let mut objects: Vec<usize> = Vec::new();
    let mut agent: Option<usize> = None;
    let limit = (end + 25)
        .min(toks.len())
        .min(next_verb.unwrap_or(usize::MAX));
    for (k, m) in mentions.iter().enumerate() {
        // Inside a phrase with a gap ("ordered the French ambassador to leave") or after it.
        if m.tokens.start <= start || m.tokens.start >= limit {
            continue;
        }
        if toks[end.min(m.tokens.start)..m.tokens.start]
            .iter()
            .any(|t| t.text == ";" || t.is("that") || t.is("while") || t.is("but"))
        {
            break;
        }
        let after_by = m.tokens.start > 0 && toks[m.tokens.start - 1].is("by");
        if passive && after_by {
            agent = Some(k);
            continue;
        }
        // "a deal brokered by the UAE": an agent of something else, not the object; but "a
        // visit by a Chinese leader": the noun's own agent.
        if after_by {
            if trigger.noun && subject.is_empty() && agent.is_none() {
                agent = Some(k);
            }
            continue;
        }
        if m.kind == MentionKind::Location {
            continue;
        }
        if trigger.root == 1 && m.tokens.start > end + 4 {
            break;
        }
        objects = coordinated(toks, mentions, k, false);
        break;
    }
    if objects.is_empty() && subject.len() < 2 {
        // A place after the phrase or after the people it names: "exercises in Tehran",
        // "met officials in Belarus"; not a topic's place ("discussed the war in Ukraine").
        let place_of_the_act = |m: &Mention| {
            let mut before = m.tokens.start.saturating_sub(1);
            if before > 0 && toks[before].is("the") {
                before -= 1;
            }
            let word = before.checked_sub(1).map(|k| &toks[k]);
            before <= end
                || word.is_some_and(|w| {
                    PEOPLE_WORDS.contains(&w.lower.as_str()) || form_at(toks, before - 1).is_some()
                })
        };
        if let Some((k, _)) = mentions.iter().enumerate().find(|(_, m)| {
            m.tokens.start >= end
                && m.tokens.start < limit
                && m.kind == MentionKind::Location
                && place_of_the_act(m)
        }) {
            objects.push(k);
        }
    }
    if trigger.noun
        && subject.is_empty()
        && let Some(a) = agent
    {
        subject = vec![a];
    }
    if passive {
        let by_follows = toks[end..limit].iter().take(3).any(|t| t.is("by"));
        match agent {
            Some(a) => {
                objects = std::mem::take(&mut subject);
                subject = vec![a];
            }
            // "were accused by <someone not recognised>": who did it is unknown.
            None if by_follows => return (subject, Vec::new()),
            None => {}
        }
    }

    let mut roles = Vec::new();
    let key = |k: usize| mentions[k].actor.name.as_str();
    let certainty_of = |k: usize| -> f32 {
        match mentions[k].kind {
            MentionKind::Named => 1.0,
            MentionKind::Demonym => 0.8,
            MentionKind::Location => 0.6,
            MentionKind::BackReference => 0.7,
        }
    };
    let mut push = |a: usize, b: usize, base: f32| {
        let same = key(a) == key(b)
            || (mentions[a].actor.kind == crate::model::ActorKind::Country
                && mentions[b].actor.country.as_deref() == Some(key(a)))
            || (mentions[b].actor.kind == crate::model::ActorKind::Country
                && mentions[a].actor.country.as_deref() == Some(key(b)));
        if !same && !roles.iter().any(|r: &Roles| r.actor1 == a && r.actor2 == b) {
            roles.push(Roles {
                actor1: a,
                actor2: b,
                certainty: base * certainty_of(a).min(certainty_of(b)),
            });
        }
    };
    match (subject.as_slice(), objects.as_slice()) {
        ([], []) => {}
        ([], [only]) if trigger.noun => {
            // A noun with its actors after it: "the first visit by a Chinese leader to
            // Vietnam", "a visit of Pakistan's speaker to Belarus".
            let next = mentions.iter().enumerate().find(|(_, m)| {
                m.tokens.start >= mentions[*only].tokens.end
                    && m.tokens.start < limit
                    && m.tokens.start > 0
                    && matches!(
                        toks[m.tokens.start - 1].lower.as_str(),
                        "to" | "with" | "in" | "and"
                    )
            });
            if let Some((k, _)) = next {
                push(*only, k, 0.6);
            }
        }
        ([], [first, second, ..]) => push(*first, *second, 0.6),
        // "Japan and South Korea held talks": between them, for acts that two sides do
        // together; "Egypt and Qatar called for a ceasefire" is no act between the two.
        ([a, b, ..], []) if matches!(trigger.root, 3..=6 | 8 | 19) => push(*a, *b, 0.9),
        ([a], []) => {
            let _ = a;
        }
        (subjects, objects) => {
            // "Burkina Faso and Mali signed a pact with Niger": each subject with each object.
            for &o in objects.iter().take(3) {
                for &s in subjects.iter().take(3) {
                    if key(s) != key(o) {
                        push(s, o, 1.0);
                    }
                }
            }
        }
    }
    (subject, roles)
}

#[cfg(test)]
mod tests {
    use super::super::actors::ActorFinder;
    use super::super::text::tokens;
    use super::*;

    fn events(sentence: &str) -> Vec<(String, String, u8)> {
        let toks = tokens(sentence, 0..sentence.len());
        let mut finder = ActorFinder::new(&[]);
        let mentions = finder.find(&toks);
        let mut out: Vec<(String, String, u8)> = Vec::new();
        let mut previous: Option<Vec<usize>> = None;
        let mut main: Option<Vec<usize>> = None;
        for trigger in find_triggers(&toks) {
            let (subject, roles) = assign_roles(
                &toks,
                &mentions,
                &trigger,
                None,
                previous.as_deref(),
                main.as_deref(),
            );
            if !subject.is_empty() {
                main.get_or_insert_with(|| subject.clone());
                previous = Some(subject);
            }
            let Some(root) = final_root(&trigger, false) else {
                continue;
            };
            for r in roles {
                let event = (
                    mentions[r.actor1].actor.name.clone(),
                    mentions[r.actor2].actor.name.clone(),
                    root,
                );
                if !out.contains(&event) {
                    out.push(event);
                }
            }
        }
        out
    }

    fn e(a: &str, b: &str, root: u8) -> (String, String, u8) {
        (a.into(), b.into(), root)
    }

    #[test]
    fn subject_and_object_of_the_verb() {
        assert_eq!(
            events("France condemned Russia on Monday."),
            [e("France", "Russia", 11)]
        );
        assert_eq!(
            events("Russia was condemned by France."),
            [e("France", "Russia", 11)]
        );
        assert_eq!(
            events("Belarus and Iran signed a protocol in Minsk."),
            [e("Belarus", "Iran", 5)]
        );
    }

    #[test]
    fn negation_drops_and_modality_turns_into_intent() {
        assert!(events("France did not condemn Russia.").is_empty());
        assert_eq!(
            events("Iran plans to meet Belarus."),
            [e("Iran", "Belarus", 3)]
        );
        assert_eq!(
            events("Iran refused to meet Belarus."),
            [e("Iran", "Belarus", 12)]
        );
        assert_eq!(
            events("Russia threatened to attack Ukraine."),
            [e("Russia", "Ukraine", 13)]
        );
    }

    #[test]
    fn purpose_clauses_and_participles_keep_the_subject() {
        assert_eq!(
            events(
                "Belarusian President Alexander Lukashenko fostered ties with Iran, congratulating Masoud Pezeshkian on his victory."
            ),
            [e("Alexander Lukashenko", "Masoud Pezeshkian", 5)]
        );
        assert_eq!(
            events("France visited Iran to meet Iraq."),
            [e("France", "Iran", 4), e("France", "Iraq", 4)]
        );
    }

    #[test]
    fn background_nouns_are_no_events() {
        assert!(
            events("Belarus backs Iran despite sanctions.")
                .iter()
                .all(|(_, _, r)| *r != 16)
        );
    }
}
