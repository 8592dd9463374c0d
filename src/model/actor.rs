//! Actors (countries, organisations, people, groups) and their interning by normalised name.
//! Country names, ISO codes, CAMEO codes and demonyms all resolve to one country actor.

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
#[derive(Clone, Debug, PartialEq)]
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

/// Every way of naming a country, resolved to one entry.
pub struct CountryTable {
    pub countries: Vec<Country>,
    by_key: HashMap<String, usize>,
}

impl CountryTable {
    /// The bundled table, parsed once.
    pub fn bundled() -> &'static CountryTable {
        static TABLE: OnceLock<CountryTable> = OnceLock::new();
        TABLE.get_or_init(|| Self::from_tsv(include_str!("../../assets/countries.tsv")))
    }

    /// Reads `iso3 iso2 name lat lon aliases demonyms cameo local_names` rows (lists `|`-separated).
    pub fn from_tsv(text: &str) -> Self {
        let mut countries = Vec::new();
        let mut by_key = HashMap::new();
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 5 {
                continue;
            }
            let index = countries.len();
            countries.push(Country {
                iso3: cols[0].to_string(),
                iso2: cols[1].to_string(),
                name: cols[2].to_string(),
                lat: cols[3].parse().unwrap_or(0.0),
                lon: cols[4].parse().unwrap_or(0.0),
            });
            // Codes are matched case-sensitively in upper case only, so that the word "in" or
            // "us" in a name never turns into a country; names match case-insensitively.
            for code in [cols[0], cols[1]] {
                if !code.is_empty() {
                    by_key.entry(format!("#{code}")).or_insert(index);
                }
            }
            if let Some(cameo) = cols.get(7) {
                for code in cameo.split('|').filter(|c| !c.is_empty()) {
                    by_key.entry(format!("#{code}")).or_insert(index);
                }
            }
            by_key.entry(normalise_name(cols[2])).or_insert(index);
            for list in [cols.get(5), cols.get(6), cols.get(8)]
                .into_iter()
                .flatten()
            {
                for alias in list.split('|').filter(|a| !a.trim().is_empty()) {
                    by_key.entry(normalise_name(alias)).or_insert(index);
                }
            }
        }
        Self { countries, by_key }
    }

    /// Finds a country by name, alias, demonym, or an upper-case ISO alpha-2/alpha-3 or CAMEO code.
    pub fn resolve(&self, text: &str) -> Option<&Country> {
        let t = text.trim();
        if t.len() <= 3
            && !t.is_empty()
            && t.bytes().all(|b| b.is_ascii_uppercase())
            && let Some(&i) = self.by_key.get(&format!("#{t}"))
        {
            return Some(&self.countries[i]);
        }
        let key = normalise_name(t);
        let key = key.strip_prefix("the ").unwrap_or(&key);
        self.by_key.get(key).map(|&i| &self.countries[i])
    }

    pub fn by_iso3(&self, iso3: &str) -> Option<&Country> {
        self.by_key
            .get(&format!("#{iso3}"))
            .map(|&i| &self.countries[i])
            .filter(|c| c.iso3 == iso3)
    }
}

/// The actors of a dataset, interned by normalised name (and by country for country actors).
#[derive(Clone, Debug, Default)]
pub struct ActorTable {
    actors: Vec<Actor>,
    by_key: HashMap<String, ActorId>,
}

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

    pub fn iter(&self) -> impl Iterator<Item = (ActorId, &Actor)> {
        self.actors
            .iter()
            .enumerate()
            .map(|(i, a)| (i as ActorId, a))
    }

    /// The actor a name refers to, if it was interned already (aliases included).
    pub fn find(&self, name: &str) -> Option<ActorId> {
        if let Some(&id) = self.by_key.get(&normalise_name(name)) {
            return Some(id);
        }
        let country = CountryTable::bundled().resolve(name)?;
        self.by_key.get(&country_key(&country.iso3)).copied()
    }

    /// The actor for `name`, created if new. A name that is a country (by name, code or
    /// demonym) becomes that country's single actor unless `kind` says it is something else.
    pub fn intern(&mut self, name: &str, kind: Option<ActorKind>) -> Option<ActorId> {
        let name = name.trim();
        let key = normalise_name(name);
        if key.is_empty() {
            return None;
        }
        if let Some(&id) = self.by_key.get(&key) {
            return Some(id);
        }
        if matches!(kind, None | Some(ActorKind::Country))
            && let Some(country) = CountryTable::bundled().resolve(name)
        {
            let ckey = country_key(&country.iso3);
            let id = match self.by_key.get(&ckey) {
                Some(&id) => id,
                None => {
                    let id = self.push(Actor {
                        name: country.name.clone(),
                        kind: ActorKind::Country,
                        iso3: Some(country.iso3.clone()),
                        affiliation: None,
                        aliases: Vec::new(),
                    });
                    self.by_key.insert(ckey, id);
                    self.by_key.insert(normalise_name(&country.name), id);
                    id
                }
            };
            if normalise_name(&self.actors[id as usize].name) != key {
                let actor = &mut self.actors[id as usize];
                if !actor.aliases.iter().any(|a| normalise_name(a) == key) {
                    actor.aliases.push(name.to_string());
                }
            }
            self.by_key.insert(key, id);
            return Some(id);
        }
        let id = self.push(Actor {
            name: name.to_string(),
            kind: kind.unwrap_or_default(),
            iso3: None,
            affiliation: None,
            aliases: Vec::new(),
        });
        self.by_key.insert(key, id);
        Some(id)
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
                    let id = self.push(Actor {
                        affiliation: None,
                        aliases: Vec::new(),
                        ..actor.clone()
                    });
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

    fn push(&mut self, actor: Actor) -> ActorId {
        let id = self.actors.len() as ActorId;
        self.actors.push(actor);
        id
    }
}

fn country_key(iso3: &str) -> String {
    format!("#country:{iso3}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_resolve_from_names_codes_and_demonyms() {
        let table = CountryTable::bundled();
        for text in [
            "Belarus",
            "BLR",
            "BY",
            "Belarusian",
            "belarus",
            "Republic of Belarus",
        ] {
            assert_eq!(
                table.resolve(text).map(|c| c.iso3.as_str()),
                Some("BLR"),
                "{text}"
            );
        }
        assert_eq!(table.resolve("Iranian").unwrap().iso3, "IRN");
        assert!(
            table.resolve("in").is_none(),
            "lower-case words are not codes"
        );
        assert!(table.resolve("Viktar Khrenin").is_none());
    }

    #[test]
    fn interning_merges_spellings_of_one_actor() {
        let mut actors = ActorTable::default();
        let a = actors.intern("Belarus", None).unwrap();
        let b = actors.intern("BLR", None).unwrap();
        let c = actors.intern("Belarusian", None).unwrap();
        assert_eq!((a, b), (c, c));
        assert_eq!(actors.get(a).kind, ActorKind::Country);
        let p = actors
            .intern("Viktar  Khrenin", Some(ActorKind::Person))
            .unwrap();
        assert_eq!(actors.intern("viktar khrenin", None), Some(p));
        actors.add_alias(p, "Viktor Khrenin");
        assert_eq!(actors.find("Viktor Khrenin"), Some(p));
        assert_eq!(actors.len(), 2);
        assert_eq!(actors.intern("  ", None), None);
    }
}
