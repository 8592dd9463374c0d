//! Named column mappings ("presets"): the ones relmap ships for layouts analysts meet often
//! (GTD, Phoenix, UCDP GED with its own names), and the user's own, saved as JSON in the
//! user's config folder (`~/.config/relmap/mapping-presets.json` on Linux). On the command
//! line a preset is `--map @NAME`; `--map @NAME,type=COL` starts from it and changes a field.
//!
//! A file whose header has every column a shipped preset names, and that is not readable as
//! native CSV, is read with that preset without asking (see [`preset_for_header`]).

use std::path::{Path, PathBuf};

use super::native_csv::ColumnMap;
use super::row::Field;

/// A mapping with a name.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Preset {
    pub name: String,
    /// What the preset is for, shown in lists.
    #[serde(default)]
    pub description: String,
    pub mapping: ColumnMap,
}

/// The presets relmap ships: `(name, description, mapping in --map syntax)`.
const SHIPPED: [(&str, &str, &str); 3] = [
    (
        "gtd",
        "Global Terrorism Database (START): perpetrator group → target's nationality, date from iyear/imonth/iday",
        "date=iyear+imonth+iday,actor1=gname,actor1_country=country_txt,actor2=natlty1_txt,\
         type=attacktype1_txt,title=summary,location=city,lat=latitude,lon=longitude",
    ),
    (
        "phoenix",
        "Phoenix event data (OEDA / Cline Center) with its header: source → target entity, CAMEO event code",
        "date=Year+Month+Day,actor1=SourceActorEntity,actor2=TargetActorEntity,type=EventCode,\
         location=LocationName,url=URLs",
    ),
    (
        "ucdp",
        "UCDP Georeferenced Event Dataset: side_a → side_b, both of the event's country",
        "date=date_start,end_date=date_end,actor1=side_a,actor2=side_b,actor1_country=country,\
         actor2_country=country,type=conflict_name,title=source_headline,location=where_coordinates,\
         lat=latitude,lon=longitude",
    ),
];

/// The presets relmap ships, in a fixed order.
pub fn shipped_presets() -> Vec<Preset> {
    SHIPPED
        .iter()
        .map(|(name, description, spec)| Preset {
            name: (*name).to_string(),
            description: (*description).to_string(),
            mapping: ColumnMap::parse(&spec.replace(char::is_whitespace, ""))
                .expect("shipped presets parse"),
        })
        .collect()
}

/// The shipped preset to read a CSV with this header by, when the header is not relmap's
/// own (no date column, or no actor column) and has every column the preset names.
pub fn preset_for_header(header: &[String]) -> Option<Preset> {
    let native: Vec<Field> = header
        .iter()
        .filter_map(|h| Field::from_column_name(h))
        .collect();
    let has_actor = [Field::Actor1, Field::Actor2, Field::Actors]
        .iter()
        .any(|f| native.contains(f));
    if native.contains(&Field::Date) && has_actor {
        return None;
    }
    shipped_presets()
        .into_iter()
        .find(|p| p.mapping.fits(header))
}

/// The folder relmap keeps its settings in: `$RELMAP_CONFIG_DIR` if set (tests, portable
/// installs), else the platform's config folder + `relmap` (XDG on Linux, Application Support
/// on macOS, AppData\Roaming on Windows).
pub fn config_dir() -> Option<PathBuf> {
    match std::env::var_os("RELMAP_CONFIG_DIR") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => dirs::config_dir().map(|d| d.join("relmap")),
    }
}

/// The user's presets file, and the shipped presets beside it.
#[derive(Clone, Debug, Default)]
pub struct PresetStore {
    path: Option<PathBuf>,
    user: Vec<Preset>,
}

/// The JSON of the presets file.
#[derive(serde::Serialize, serde::Deserialize)]
struct PresetFile {
    format: String,
    version: u32,
    presets: Vec<Preset>,
}

const FILE_FORMAT: &str = "relmap-mapping-presets";
const FILE_VERSION: u32 = 1;

impl PresetStore {
    /// The presets file in the user's config folder (none yet is an empty store).
    pub fn open_default() -> Result<Self, String> {
        match config_dir() {
            Some(dir) => Self::open(&dir.join("mapping-presets.json")),
            None => Ok(Self::default()),
        }
    }

    /// A presets file (none yet is an empty store). A damaged or newer file is refused with
    /// a message naming it, never overwritten by a later save.
    pub fn open(path: &Path) -> Result<Self, String> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Self {
                    path: Some(path.to_path_buf()),
                    user: Vec::new(),
                });
            }
            Err(e) => return Err(format!("{}: cannot read: {e}", path.display())),
        };
        let file: PresetFile = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{}: not a presets file (line {}, column {}): {e}",
                path.display(),
                e.line(),
                e.column()
            )
        })?;
        if file.format != FILE_FORMAT {
            return Err(format!(
                "{}: not a relmap presets file (format {:?})",
                path.display(),
                file.format
            ));
        }
        if file.version > FILE_VERSION {
            return Err(format!(
                "{}: made by a newer relmap (version {}); this one reads up to {FILE_VERSION}",
                path.display(),
                file.version
            ));
        }
        Ok(Self {
            path: Some(path.to_path_buf()),
            user: file.presets,
        })
    }

    /// Where the store is kept (none when the platform has no config folder).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The user's presets, in the order saved.
    pub fn user_presets(&self) -> &[Preset] {
        &self.user
    }

    /// Every preset name: the user's first, then the shipped ones they do not shadow.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.user.iter().map(|p| p.name.clone()).collect();
        for p in shipped_presets() {
            if !names.iter().any(|n| n.eq_ignore_ascii_case(&p.name)) {
                names.push(p.name);
            }
        }
        names
    }

    /// A preset by name (case ignored): the user's own, else a shipped one.
    pub fn get(&self, name: &str) -> Option<Preset> {
        self.user
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .cloned()
            .or_else(|| {
                shipped_presets()
                    .into_iter()
                    .find(|p| p.name.eq_ignore_ascii_case(name))
            })
    }

    /// Saves (or replaces) a user preset and writes the file atomically.
    pub fn save(&mut self, name: &str, mapping: &ColumnMap) -> Result<(), String> {
        let name = name.trim();
        check_name(name)?;
        let preset = Preset {
            name: name.to_string(),
            description: String::new(),
            mapping: mapping.clone(),
        };
        match self
            .user
            .iter_mut()
            .find(|p| p.name.eq_ignore_ascii_case(name))
        {
            Some(old) => *old = preset,
            None => self.user.push(preset),
        }
        self.write()
    }

    /// Removes a user preset; false when there was none of that name.
    pub fn delete(&mut self, name: &str) -> Result<bool, String> {
        let before = self.user.len();
        self.user.retain(|p| !p.name.eq_ignore_ascii_case(name));
        if self.user.len() == before {
            return Ok(false);
        }
        self.write().map(|()| true)
    }

    fn write(&self) -> Result<(), String> {
        let path = self
            .path
            .as_deref()
            .ok_or("this system has no config folder; set RELMAP_CONFIG_DIR")?;
        let file = PresetFile {
            format: FILE_FORMAT.to_string(),
            version: FILE_VERSION,
            presets: self.user.clone(),
        };
        let text = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        crate::export::file::write_file_atomically(path, text.as_bytes())
            .map_err(|e| format!("{}: {e}", path.display()))
    }

    /// A `--map` argument: `field=COL,…`, `@NAME` (a preset), or `@NAME,field=COL,…` (a
    /// preset with some fields changed or added).
    pub fn resolve(&self, text: &str) -> Result<ColumnMap, String> {
        let text = text.trim();
        let Some(rest) = text.strip_prefix('@') else {
            return ColumnMap::parse(text);
        };
        let (name, changes) = rest.split_once(',').unwrap_or((rest, ""));
        let preset = self.get(name.trim()).ok_or_else(|| {
            format!(
                "no mapping preset '{}' (presets: {})",
                name.trim(),
                self.names().join(", ")
            )
        })?;
        let mut mapping = preset.mapping;
        if !changes.trim().is_empty() {
            for (field, column) in ColumnMap::parse(changes)?.entries {
                match mapping.entries.iter_mut().find(|(f, _)| *f == field) {
                    Some(entry) => entry.1 = column,
                    None => mapping.entries.push((field, column)),
                }
            }
        }
        Ok(mapping)
    }
}

/// Preset names are what follows `@` on the command line: no commas or `=`.
fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("a preset needs a name".into());
    }
    if name.contains([',', '=', '@']) || name.chars().any(char::is_control) {
        return Err(format!(
            "'{name}': a preset name cannot hold ',', '=', '@' or control characters"
        ));
    }
    Ok(())
}

/// `--map` on the command line: a mapping, or a preset from the user's store.
pub fn parse_map_argument(text: &str) -> Result<ColumnMap, String> {
    let store = if text.trim_start().starts_with('@') {
        PresetStore::open_default()?
    } else {
        PresetStore::default()
    };
    store.resolve(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &str) -> Vec<String> {
        names.split(',').map(str::to_string).collect()
    }

    #[test]
    fn shipped_presets_parse_and_match_their_headers() {
        let presets = shipped_presets();
        assert_eq!(presets.len(), 3);
        let gtd = header(
            "eventid,iyear,imonth,iday,approxdate,extended,resolution,country,country_txt,region,region_txt,provstate,city,latitude,longitude,summary,attacktype1_txt,targtype1_txt,target1,natlty1_txt,gname,nkill",
        );
        assert_eq!(preset_for_header(&gtd).unwrap().name, "gtd");
        // A native header is read as it is, even when a preset would fit.
        let native = header("date,actor1,iyear,imonth,iday,gname,natlty1_txt,country_txt");
        assert!(preset_for_header(&native).is_none());
        assert!(preset_for_header(&header("a,b,c")).is_none());
    }

    #[test]
    fn presets_round_trip_through_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("mapping-presets.json");
        let mut store = PresetStore::open(&path).unwrap();
        assert!(store.user_presets().is_empty());
        let map =
            ColumnMap::parse("date=y+m+d,actor1=who,actor1_country=c,actor2_country=c").unwrap();
        store.save("My export", &map).unwrap();
        store
            .save("gtd", &ColumnMap::parse("date=x,actor1=y").unwrap())
            .unwrap();
        let again = PresetStore::open(&path).unwrap();
        assert_eq!(again.get("my export").unwrap().mapping, map);
        // The user's preset of a shipped name shadows the shipped one.
        assert_eq!(
            again.get("GTD").unwrap().mapping.to_spec(),
            "date=x,actor1=y"
        );
        assert_eq!(again.names(), ["My export", "gtd", "phoenix", "ucdp"]);
        let resolved = again.resolve("@My export,type=kind,actor1=other").unwrap();
        assert_eq!(
            resolved.to_spec(),
            "date=y+m+d,actor1=other,actor1_country=c,actor2_country=c,type=kind"
        );
        let err = again.resolve("@nope").unwrap_err();
        assert!(
            err.contains("no mapping preset 'nope'") && err.contains("phoenix"),
            "{err}"
        );
        assert!(store.save("a,b", &map).is_err());
        let mut again = again;
        assert!(again.delete("my export").unwrap());
        assert!(!again.delete("my export").unwrap());
        assert!(PresetStore::open(&path).unwrap().get("My export").is_none());
    }

    #[test]
    fn a_damaged_or_newer_presets_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.json");
        std::fs::write(&path, "{not json").unwrap();
        let err = PresetStore::open(&path).unwrap_err();
        assert!(err.contains("p.json") && err.contains("line 1"), "{err}");
        std::fs::write(
            &path,
            r#"{"format":"relmap-mapping-presets","version":9,"presets":[]}"#,
        )
        .unwrap();
        assert!(PresetStore::open(&path).unwrap_err().contains("newer"));
    }
}
