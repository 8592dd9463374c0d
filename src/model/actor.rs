//! Actors (countries, organisations, people, groups) and their interning by normalised name.
//! Country names, alternative names, demonyms and (where a column holds codes) ISO and CAMEO
//! codes resolve to one country actor; nothing else does, so that no name is turned into a
//! country by a guess. Each actor keeps the reason it got its kind and country, recorded by
//! the reader that met it (`relmap stats --actors` lists them).

use std::collections::HashMap;
use std::sync::OnceLock;

/// Index of an actor in its [`ActorTable`].
pub type ActorId = u32;

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum ActorKind {
    Country,
    Organisation,
    Person,
    Group,
    #[default]
    Other,
}

impl ActorKind {
    pub const ALL: [ActorKind; 5] = [
        ActorKind::Country,
        ActorKind::Organisation,
        ActorKind::Person,
        ActorKind::Group,
        ActorKind::Other,
    ];

    /// Reads the kind names people write ("org", "organization", "individual", ...).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "country" | "state" | "nation" => Some(Self::Country),
            "organisation" | "organization" | "org" | "institution" | "ministry" | "agency" => {
                Some(Self::Organisation)
            }
            "person" | "individual" | "people" | "official" => Some(Self::Person),
            "group" | "armed group" | "militia" | "party" => Some(Self::Group),
            "other" | "" => Some(Self::Other),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Country => "country",
            Self::Organisation => "organisation",
            Self::Person => "person",
            Self::Group => "group",
            Self::Other => "other",
        }
    }
}

/// One actor of a dataset.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Actor {
    pub name: String,
    pub kind: ActorKind,
    /// ISO 3166 alpha-3 code, for countries.
    pub iso3: Option<String>,
    /// The country (or organisation) this actor belongs to.
    pub affiliation: Option<ActorId>,
    pub aliases: Vec<String>,
}

/// Lower case, single spaces, no surrounding punctuation: "  Viktar   KHRENIN " → "viktar khrenin".
pub fn normalise_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            out.extend(c.to_lowercase());
        }
    }
    out.trim_matches(|c: char| c == '.' || c == ',' || c == '"' || c == '\'')
        .to_string()
}

/// A country of the bundled table (assets/countries.tsv, from the npm package world-countries).
#[derive(Clone, Debug)]
pub struct Country {
    pub iso3: String,
    pub iso2: String,
    pub name: String,
    pub lat: f32,
    pub lon: f32,
}

/// How a text was found to be a country: the rule that matched. Recorded with each actor, so
/// that `relmap stats --actors` can show what the reader really did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountryRule {
    /// The whole name is the country's (English) name.
    Name,
    /// The whole name is one of its alternative names ("Republic of Belarus", "DRC").
    AltName,
    /// The whole name is one of its names in another language ("Беларусь").
    LocalName,
    /// The whole name is a demonym ("Belarusian").
    Demonym,
    /// An ISO 3166 alpha-2 code, in a column that holds codes.
    Iso2,
    /// An ISO 3166 alpha-3 code, in a column that holds codes.
    Iso3,
    /// A CAMEO country code, in a column that holds codes.
    Cameo,
}

impl CountryRule {
    pub fn describe(self) -> &'static str {
        match self {
            Self::Name => "whole name is a country name",
            Self::AltName => "whole name is a country's alternative name",
            Self::LocalName => "whole name is a country's name in another language",
            Self::Demonym => "whole name is a demonym",
            Self::Iso2 => "ISO2 code in a code column",
            Self::Iso3 => "ISO3 code in a code column",
            Self::Cameo => "CAMEO code in a code column",
        }
    }

    pub fn is_code(self) -> bool {
        matches!(self, Self::Iso2 | Self::Iso3 | Self::Cameo)
    }
}

/// A country found for a text, and the rule that found it.
#[derive(Clone, Copy, Debug)]
pub struct CountryMatch<'a> {
    pub country: &'a Country,
    pub rule: CountryRule,
}

/// A naming pattern of real datasets that says which country an actor belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountryPattern {
    /// "Government of Syria", "Government of Russia (Soviet Union)" (UCDP, ACLED).
    GovernmentOf,
    /// "Military Forces of Sudan (2019-)", "Police Forces of Mexico (2018-) Ministerial
    /// Federal Police" (ACLED's state forces).
    ForcesOf,
    /// "Foreign Affairs (Bangladesh)", "Rioters (Kenya)", "Protesters (India)" (ICEWS, ACLED):
    /// the last parenthesis holds a whole country name.
    Parenthesis,
}

impl CountryPattern {
    pub fn describe(self) -> &'static str {
        match self {
            Self::GovernmentOf => "pattern 'Government of X'",
            Self::ForcesOf => "pattern '… Forces of X (years)'",
            Self::Parenthesis => "pattern 'Name (X)'",
        }
    }

    /// Governments and state forces are organisations of their country.
    pub fn is_state(self) -> bool {
        matches!(self, Self::GovernmentOf | Self::ForcesOf)
    }
}

/// Every way of naming a country, resolved to one entry. Names (the name, alternative names,
/// names in other languages, demonyms) and codes (ISO alpha-2, alpha-3, CAMEO) are kept apart,
/// and every caller chooses: codes count only where a column holds codes, because as free
/// text "IS" is the Islamic State and "KR" the Khmer Rouge, not Iceland and South Korea.
/// A text matches only as a whole, and a text that names two countries ("Congolese") names
/// none: the table never guesses.
pub struct CountryTable {
    pub countries: Vec<Country>,
    by_name: HashMap<String, (usize, CountryRule)>,
    by_code: HashMap<String, (usize, CountryRule)>,
}

/// Marks a name that two countries share (index never used).
const AMBIGUOUS: usize = usize::MAX;

impl CountryTable {
    /// The bundled table, parsed once.
    pub fn bundled() -> &'static CountryTable {
        static TABLE: OnceLock<CountryTable> = OnceLock::new();
        TABLE.get_or_init(|| Self::from_tsv(include_str!("../../assets/countries.tsv")))
    }

    /// Reads `iso3 iso2 name lat lon aliases demonyms cameo local_names` rows (lists `|`-separated).
    pub fn from_tsv(text: &str) -> Self {
        let mut countries = Vec::new();
        let mut by_name: HashMap<String, (usize, CountryRule)> = HashMap::new();
        let mut by_code = HashMap::new();
        let rows: Vec<Vec<&str>> = text
            .lines()
            .skip(1)
            .map(|line| line.split('\t').collect::<Vec<&str>>())
            .filter(|cols| cols.len() >= 5)
            .collect();
        for (index, cols) in rows.iter().enumerate() {
            countries.push(Country {
                iso3: cols[0].to_string(),
                iso2: cols[1].to_string(),
                name: cols[2].to_string(),
                lat: cols[3].parse().unwrap_or(0.0),
                lon: cols[4].parse().unwrap_or(0.0),
            });
            let codes = [(cols[0], CountryRule::Iso3), (cols[1], CountryRule::Iso2)];
            let cameo = cols.get(7).copied().unwrap_or("");
            let cameo = cameo.split('|').map(|c| (c, CountryRule::Cameo));
            for (code, rule) in codes.into_iter().chain(cameo) {
                if !code.is_empty() {
                    by_code
                        .entry(code.to_ascii_uppercase())
                        .or_insert((index, rule));
                }
            }
        }
        // Names in order of strength: every country's own name first, then alternative
        // names, local names and demonyms, so that a weaker name never hides a stronger one.
        let lists = [
            (2, CountryRule::Name),
            (5, CountryRule::AltName),
            (8, CountryRule::LocalName),
            (6, CountryRule::Demonym),
        ];
        for (column, rule) in lists {
            for (index, cols) in rows.iter().enumerate() {
                let Some(list) = cols.get(column) else {
                    continue;
                };
                let names = if column == 2 {
                    vec![*list]
                } else {
                    list.split('|').collect()
                };
                for name in names.into_iter().filter(|n| !n.trim().is_empty()) {
                    let key = normalise_name(name);
                    match by_name.get(&key) {
                        None => {
                            by_name.insert(key, (index, rule));
                        }
                        // The same strength for two countries: this name is ambiguous.
                        Some(&(other, other_rule)) if other != index && other_rule == rule => {
                            by_name.insert(key, (AMBIGUOUS, rule));
                        }
                        Some(_) => {}
                    }
                }
            }
        }
        Self {
            countries,
            by_name,
            by_code,
        }
    }

    /// The country a free-text name names as a whole: its name, an alternative name, a name
    /// in another language or a demonym, case ignored, a leading "the" ignored. Never a code.
    pub fn resolve_name(&self, text: &str) -> Option<CountryMatch<'_>> {
        let key = normalise_name(text);
        let key = key.strip_prefix("the ").unwrap_or(&key);
        self.found(self.by_name.get(key))
    }

    /// Like [`Self::resolve_name`] without demonyms: for sides of conflicts and armed actors,
    /// where a bare "Kyrgyz" or "Uzbek" is an ethnic group, not the country.
    pub fn resolve_proper_name(&self, text: &str) -> Option<CountryMatch<'_>> {
        self.resolve_name(text)
            .filter(|m| m.rule != CountryRule::Demonym)
    }

    /// The country of a code (ISO alpha-2, alpha-3 or CAMEO, case ignored): only for columns
    /// that hold codes (GDELT country codes, a mapped `actor1_country`).
    pub fn resolve_code(&self, text: &str) -> Option<CountryMatch<'_>> {
        let t = text.trim();
        if t.is_empty() || t.len() > 3 || !t.bytes().all(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        self.found(self.by_code.get(&t.to_ascii_uppercase()))
    }

    /// A column that holds a country, as a code or a name (ICEWS, UCDP and ACLED `country`,
    /// a mapped `actor1_country`): the code first, then the name.
    pub fn resolve_country_column(&self, text: &str) -> Option<CountryMatch<'_>> {
        self.resolve_code(text).or_else(|| self.resolve_name(text))
    }

    /// The country that a naming pattern of real datasets puts an actor in (see
    /// [`CountryPattern`]). The country must be named whole (no demonyms, no codes).
    pub fn resolve_pattern(&self, name: &str) -> Option<(CountryMatch<'_>, CountryPattern)> {
        let name = name.trim();
        // "Government of X…" and "… Forces of X…": X runs to the end or to a parenthesis
        // (years, or a former name such as "Russia (Soviet Union)").
        if let Some((before, after)) = name.split_once(" of ") {
            let pattern = if before.eq_ignore_ascii_case("government") {
                Some(CountryPattern::GovernmentOf)
            } else if before.to_ascii_lowercase().ends_with("forces") {
                Some(CountryPattern::ForcesOf)
            } else {
                None
            };
            let country = match after.split_once(" (") {
                Some((country, _)) => country,
                None => after,
            };
            if let Some(pattern) = pattern
                && let Some(m) = self.resolve_proper_name(country)
            {
                return Some((m, pattern));
            }
        }
        let inner = name.strip_suffix(')')?;
        let open = inner.rfind('(')?;
        if open == 0 {
            return None;
        }
        self.resolve_proper_name(&inner[open + 1..])
            .map(|m| (m, CountryPattern::Parenthesis))
    }

    fn found(&self, entry: Option<&(usize, CountryRule)>) -> Option<CountryMatch<'_>> {
        let &(index, rule) = entry?;
        Some(CountryMatch {
            country: self.countries.get(index)?,
            rule,
        })
    }

    pub fn by_iso3(&self, iso3: &str) -> Option<&Country> {
        self.by_code
            .get(iso3)
            .and_then(|&(i, _)| self.countries.get(i))
            .filter(|c| c.iso3 == iso3)
    }
}

/// The actors of a dataset, interned by normalised name (and by country for country actors).
/// Each actor keeps why it is what it is (the rule that made it a country, gave it its kind or
/// its country), recorded when the reader interned it.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ActorTable {
    actors: Vec<Actor>,
    why: Vec<String>,
    /// Written in key order, so that the same table always gives the same bytes (an index
    /// built at once equals one appended to).
    #[serde(serialize_with = "sorted_keys")]
    by_key: HashMap<String, ActorId>,
}

fn sorted_keys<S: serde::Serializer>(
    map: &HashMap<String, ActorId>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let sorted: std::collections::BTreeMap<&String, &ActorId> = map.iter().collect();
    serde::Serialize::serialize(&sorted, serializer)
}

/// The reason recorded for an actor that no rule touched.
pub const KEPT_AS_WRITTEN: &str = "no rule: kept as written";

impl ActorTable {
    pub fn len(&self) -> usize {
        self.actors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.actors.is_empty()
    }

    pub fn get(&self, id: ActorId) -> &Actor {
        &self.actors[id as usize]
    }

    pub fn get_mut(&mut self, id: ActorId) -> &mut Actor {
        &mut self.actors[id as usize]
    }

    /// Why the actor has its kind and country: the rules the reader applied when it met it.
    pub fn why(&self, id: ActorId) -> &str {
        self.why
            .get(id as usize)
            .map_or(KEPT_AS_WRITTEN, String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = (ActorId, &Actor)> {
        self.actors
            .iter()
            .enumerate()
            .map(|(i, a)| (i as ActorId, a))
    }

    /// The actor a name refers to, if it was interned already (aliases included). A country's
    /// name or code finds its country actor: this is a user's search, not a reading of data.
    pub fn find(&self, name: &str) -> Option<ActorId> {
        if let Some(&id) = self.by_key.get(&normalise_name(name)) {
            return Some(id);
        }
        let table = CountryTable::bundled();
        let m = table
            .resolve_name(name)
            .or_else(|| table.resolve_code(name))?;
        self.by_key.get(&country_key(&m.country.iso3)).copied()
    }

    /// The actor already interned under this name or alias, without any country rule: lets a
    /// reader skip its rules for a name it has met before.
    pub fn find_interned(&self, name: &str) -> Option<ActorId> {
        self.by_key.get(&normalise_name(name)).copied()
    }

    /// The actor for `name`, created if new. With no kind, a name that is a country as a
    /// whole (name, alternative name or demonym, never a code) becomes that country's single
    /// actor. With [`ActorKind::Country`] the caller says the text is a country, so codes
    /// count too. Any other kind keeps the name as written.
    pub fn intern(&mut self, name: &str, kind: Option<ActorKind>) -> Option<ActorId> {
        let why = match kind {
            None => KEPT_AS_WRITTEN,
            Some(_) => "kind given by the file",
        };
        self.intern_because(name, kind, why)
    }

    /// [`Self::intern`], recording `why` for an actor that is new and not a country.
    pub fn intern_because(
        &mut self,
        name: &str,
        kind: Option<ActorKind>,
        why: &str,
    ) -> Option<ActorId> {
        let name = name.trim();
        let key = normalise_name(name);
        if key.is_empty() {
            return None;
        }
        let known = self.by_key.get(&key).copied();
        match (known, kind) {
            // A text said to be a country must find a country, even where the same letters
            // name another actor ("BLR" written in a name column is kept as written there).
            (Some(id), Some(ActorKind::Country))
                if self.actors[id as usize].kind != ActorKind::Country => {}
            (Some(id), _) => return Some(id),
            (None, _) => {}
        }
        let table = CountryTable::bundled();
        let country = match kind {
            None => table.resolve_name(name),
            Some(ActorKind::Country) => table.resolve_country_column(name),
            Some(_) => None,
        };
        if let Some(m) = country {
            let id = self.intern_country(&m);
            if known.is_none() {
                if normalise_name(&self.actors[id as usize].name) != key {
                    let actor = &mut self.actors[id as usize];
                    if !actor.aliases.iter().any(|a| normalise_name(a) == key) {
                        actor.aliases.push(name.to_string());
                    }
                }
                self.by_key.insert(key, id);
            }
            return Some(id);
        }
        if let Some(id) = known {
            return Some(id);
        }
        let id = self.push(
            Actor {
                name: name.to_string(),
                kind: kind.unwrap_or_default(),
                iso3: None,
                affiliation: None,
                aliases: Vec::new(),
            },
            why,
        );
        self.by_key.insert(key, id);
        Some(id)
    }

    /// The single actor of a country found by a [`CountryMatch`]; a new one records the rule
    /// that found it.
    pub fn intern_country(&mut self, m: &CountryMatch<'_>) -> ActorId {
        self.intern_country_from(m, "")
    }

    /// [`Self::intern_country`] for a country found in a place of the file that `whence`
    /// names ("UCDP side_a 'Government of Syria'"), recorded before the rule.
    pub fn intern_country_from(&mut self, m: &CountryMatch<'_>, whence: &str) -> ActorId {
        let country = m.country;
        let ckey = country_key(&country.iso3);
        if let Some(&id) = self.by_key.get(&ckey) {
            return id;
        }
        let id = self.push(
            Actor {
                name: country.name.clone(),
                kind: ActorKind::Country,
                iso3: Some(country.iso3.clone()),
                affiliation: None,
                aliases: Vec::new(),
            },
            &if whence.is_empty() {
                m.rule.describe().to_string()
            } else {
                format!("{whence}: {}", m.rule.describe())
            },
        );
        self.by_key.insert(ckey, id);
        self.by_key
            .entry(normalise_name(&country.name))
            .or_insert(id);
        id
    }

    /// Merges another table's actors into this one (same name or same country → same actor)
    /// and returns, for each of `other`'s ids, the id here.
    pub fn merge(&mut self, other: &ActorTable) -> Vec<ActorId> {
        let mut map = Vec::with_capacity(other.len());
        for actor in &other.actors {
            let key = match (&actor.iso3, actor.kind) {
                (Some(iso3), ActorKind::Country) => country_key(iso3),
                _ => normalise_name(&actor.name),
            };
            let id = match self.by_key.get(&key) {
                Some(&id) => id,
                None => {
                    let id = self.push(
                        Actor {
                            affiliation: None,
                            aliases: Vec::new(),
                            ..actor.clone()
                        },
                        other.why(map.len() as ActorId),
                    );
                    self.by_key.insert(key, id);
                    self.by_key.entry(normalise_name(&actor.name)).or_insert(id);
                    id
                }
            };
            for alias in &actor.aliases {
                let alias_key = normalise_name(alias);
                if let std::collections::hash_map::Entry::Vacant(slot) =
                    self.by_key.entry(alias_key)
                {
                    slot.insert(id);
                    self.actors[id as usize].aliases.push(alias.clone());
                }
            }
            map.push(id);
        }
        for (i, actor) in other.actors.iter().enumerate() {
            if let Some(parent) = actor.affiliation {
                let here = map[i];
                let parent_here = map[parent as usize];
                if here != parent_here {
                    self.actors[here as usize]
                        .affiliation
                        .get_or_insert(parent_here);
                }
            }
        }
        map
    }

    /// Renames an actor; returns the old name. Refused when another actor has the name
    /// (merge them instead).
    pub fn rename(&mut self, id: ActorId, name: &str) -> Result<String, String> {
        let name = name.trim();
        let key = normalise_name(name);
        if key.is_empty() {
            return Err("a name cannot be empty".into());
        }
        if let Some(&other) = self.by_key.get(&key)
            && other != id
        {
            return Err(format!(
                "{} already has that name: merge the two instead",
                self.actors[other as usize].name
            ));
        }
        let old = std::mem::replace(&mut self.actors[id as usize].name, name.to_string());
        let old_key = normalise_name(&old);
        let still_an_alias = self.actors[id as usize]
            .aliases
            .iter()
            .any(|a| normalise_name(a) == old_key);
        if !still_an_alias && self.by_key.get(&old_key) == Some(&id) {
            self.by_key.remove(&old_key);
        }
        self.by_key.insert(key, id);
        Ok(old)
    }

    /// Points every name of `merged` at `keep` and makes `merged`'s name an alias of
    /// `keep`. Returns the keys moved and the alias added, for [`Self::unfold`].
    pub fn fold_into(&mut self, merged: ActorId, keep: ActorId) -> (Vec<String>, Option<String>) {
        let mut keys: Vec<String> = self
            .by_key
            .iter()
            .filter(|&(_, &id)| id == merged)
            .map(|(k, _)| k.clone())
            .collect();
        keys.sort();
        for k in &keys {
            self.by_key.insert(k.clone(), keep);
        }
        let name = self.actors[merged as usize].name.clone();
        let keep_actor = &mut self.actors[keep as usize];
        let key = normalise_name(&name);
        let known = normalise_name(&keep_actor.name) == key
            || keep_actor.aliases.iter().any(|a| normalise_name(a) == key);
        let alias = (!known).then(|| {
            keep_actor.aliases.push(name.clone());
            name
        });
        (keys, alias)
    }

    /// Undoes [`Self::fold_into`].
    pub fn unfold(&mut self, merged: ActorId, keep: ActorId, keys: &[String], alias: Option<&str>) {
        for k in keys {
            self.by_key.insert(k.clone(), merged);
        }
        if let Some(alias) = alias {
            let aliases = &mut self.actors[keep as usize].aliases;
            if let Some(i) = aliases.iter().rposition(|a| a == alias) {
                aliases.remove(i);
            }
        }
    }

    /// Records why an actor is what it is, when the reader decides it after interning (an
    /// entry of a native JSON actor list giving the kind, say).
    pub fn set_why(&mut self, id: ActorId, why: &str) {
        if let Some(w) = self.why.get_mut(id as usize) {
            *w = why.to_string();
        }
    }

    /// Makes `alias` another name of `id`.
    pub fn add_alias(&mut self, id: ActorId, alias: &str) {
        let key = normalise_name(alias);
        if key.is_empty() || self.by_key.contains_key(&key) {
            return;
        }
        self.by_key.insert(key, id);
        self.actors[id as usize]
            .aliases
            .push(alias.trim().to_string());
    }

    fn push(&mut self, actor: Actor, why: &str) -> ActorId {
        let id = self.actors.len() as ActorId;
        self.actors.push(actor);
        self.why.push(why.to_string());
        id
    }
}

fn country_key(iso3: &str) -> String {
    format!("#country:{iso3}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Which column a text comes from: free text (an actor's name), a side of a conflict or
    /// an armed actor (no demonyms), or a column that holds codes or country names.
    #[derive(Clone, Copy, Debug)]
    enum Column {
        Name,
        Side,
        Code,
    }

    fn resolve(column: Column, text: &str) -> Option<(String, String)> {
        let table = CountryTable::bundled();
        let plain = match column {
            Column::Name => table.resolve_name(text),
            Column::Side => table.resolve_proper_name(text),
            Column::Code => table.resolve_country_column(text),
        };
        match plain {
            Some(m) => Some((m.country.iso3.clone(), m.rule.describe().to_string())),
            None if matches!(column, Column::Code) => None,
            None => table
                .resolve_pattern(text)
                .map(|(m, p)| (m.country.iso3.clone(), p.describe().to_string())),
        }
    }

    #[test]
    fn country_resolution_never_guesses() {
        use Column::*;
        // (column, text, expected country, rule that must have matched)
        let table: &[(Column, &str, Option<&str>, &str)] = &[
            // Codes are codes only in code columns: "IS" is the Islamic State, "KR" the
            // Khmer Rouge.
            (Side, "IS", None, ""),
            (Name, "IS", None, ""),
            (Code, "IS", Some("ISL"), "ISO2 code in a code column"),
            (Side, "KR", None, ""),
            (Code, "KR", Some("KOR"), "ISO2 code in a code column"),
            (Name, "BLR", None, ""),
            (Name, "BY", None, ""),
            (Code, "BLR", Some("BLR"), "ISO3 code in a code column"),
            (Code, "blr", Some("BLR"), "ISO3 code in a code column"),
            (Code, "IRN", Some("IRN"), "ISO3 code in a code column"),
            (Name, "in", None, ""),
            // A bare demonym is the country in free text, an ethnic group as a side.
            (Name, "Kyrgyz", Some("KGZ"), "whole name is a demonym"),
            (Side, "Kyrgyz", None, ""),
            (Side, "Uzbek", None, ""),
            (Name, "Belarusian", Some("BLR"), "whole name is a demonym"),
            (Name, "Congolese", None, ""),
            // Patterns real datasets use.
            (
                Side,
                "Government of Syria",
                Some("SYR"),
                "pattern 'Government of X'",
            ),
            (
                Side,
                "Government of Russia (Soviet Union)",
                Some("RUS"),
                "pattern 'Government of X'",
            ),
            (
                Side,
                "Military Forces of Sudan (2019-)",
                Some("SDN"),
                "pattern '… Forces of X (years)'",
            ),
            (
                Side,
                "Police Forces of Mexico (2018-) Ministerial Federal Police",
                Some("MEX"),
                "pattern '… Forces of X (years)'",
            ),
            (
                Name,
                "Foreign Affairs (Bangladesh)",
                Some("BGD"),
                "pattern 'Name (X)'",
            ),
            (Side, "Rioters (Kenya)", Some("KEN"), "pattern 'Name (X)'"),
            (
                Side,
                "Protesters (India)",
                Some("IND"),
                "pattern 'Name (X)'",
            ),
            (Side, "Syrian insurgents", None, ""),
            (Side, "Islamic State of Iraq and the Levant", None, ""),
            (Side, "Sons of Niger", None, ""),
            (Side, "Civilians", None, ""),
            // Whole names only, and the right one of look-alikes.
            (Name, "Georgia", Some("GEO"), "whole name is a country name"),
            (Side, "Georgia", Some("GEO"), "whole name is a country name"),
            (Name, "Niger", Some("NER"), "whole name is a country name"),
            (Name, "Nigeria", Some("NGA"), "whole name is a country name"),
            (Name, "Nigerien", Some("NER"), "whole name is a demonym"),
            (Name, "Nigerian", Some("NGA"), "whole name is a demonym"),
            (
                Name,
                "Congo",
                Some("COG"),
                "whole name is a country's alternative name",
            ),
            (
                Name,
                "DR Congo",
                Some("COD"),
                "whole name is a country name",
            ),
            (
                Name,
                "Democratic Republic of the Congo",
                Some("COD"),
                "whole name is a country's alternative name",
            ),
            (
                Name,
                "Ivory Coast",
                Some("CIV"),
                "whole name is a country name",
            ),
            (
                Name,
                "Côte d'Ivoire",
                Some("CIV"),
                "whole name is a country's alternative name",
            ),
            (
                Name,
                "the Netherlands",
                Some("NLD"),
                "whole name is a country name",
            ),
            (
                Name,
                "Беларусь",
                Some("BLR"),
                "whole name is a country's name in another language",
            ),
            (
                Name,
                "Republic of Belarus",
                Some("BLR"),
                "whole name is a country's alternative name",
            ),
            (Name, "Syria Democratic Forces", None, ""),
            (Name, "Viktar Khrenin", None, ""),
            (Code, "Syria", Some("SYR"), "whole name is a country name"),
        ];
        for &(column, text, iso3, rule) in table {
            let got = resolve(column, text);
            assert_eq!(
                got.as_ref().map(|(c, _)| c.as_str()),
                iso3,
                "{column:?} {text:?}"
            );
            if let Some((_, why)) = got {
                assert_eq!(why, rule, "{column:?} {text:?}");
            }
        }
    }

    #[test]
    fn a_code_in_a_name_column_is_kept_as_written() {
        let mut actors = ActorTable::default();
        let is = actors.intern("IS", None).unwrap();
        assert_eq!(actors.get(is).kind, ActorKind::Other);
        assert_eq!(actors.why(is), KEPT_AS_WRITTEN);
        // The same letters in a country column are Iceland, and the name column's "IS"
        // stays the Islamic State.
        let iceland = actors.intern("IS", Some(ActorKind::Country)).unwrap();
        assert_ne!(iceland, is);
        assert_eq!(actors.get(iceland).iso3.as_deref(), Some("ISL"));
        assert_eq!(actors.why(iceland), "ISO2 code in a code column");
        assert_eq!(actors.intern("IS", None), Some(is));
        assert_eq!(actors.intern("IS", Some(ActorKind::Country)), Some(iceland));
    }

    #[test]
    fn interning_merges_spellings_of_one_actor() {
        let mut actors = ActorTable::default();
        let a = actors.intern("Belarus", None).unwrap();
        let b = actors.intern("BLR", Some(ActorKind::Country)).unwrap();
        let c = actors.intern("Belarusian", None).unwrap();
        assert_eq!((a, b), (c, c));
        assert_eq!(actors.get(a).kind, ActorKind::Country);
        assert_eq!(actors.why(a), "whole name is a country name");
        let p = actors
            .intern("Viktar  Khrenin", Some(ActorKind::Person))
            .unwrap();
        assert_eq!(actors.intern("viktar khrenin", None), Some(p));
        actors.add_alias(p, "Viktor Khrenin");
        assert_eq!(actors.find("Viktor Khrenin"), Some(p));
        assert_eq!(actors.find("BLR"), Some(a), "a search finds codes");
        assert_eq!(actors.len(), 2);
        assert_eq!(actors.intern("  ", None), None);
    }

    #[test]
    fn reasons_travel_with_merged_tables() {
        let mut part = ActorTable::default();
        let g = part
            .intern_because("Government of Syria", Some(ActorKind::Organisation), "x")
            .unwrap();
        let mut whole = ActorTable::default();
        whole.intern("Iran", None);
        let map = whole.merge(&part);
        assert_eq!(whole.why(map[g as usize]), "x");
        assert_eq!(whole.why(0), "whole name is a country name");
    }
}
