//! Compressed input, as analysts get it: GDELT's `20150218230000.export.CSV.zip`, ICEWS from
//! Dataverse and UCDP GED as `.zip`, anything kept as `.gz`. Archives are streamed through
//! the readers (never unpacked to disk); progress counts the compressed bytes read against
//! the archive's size, and cancelling stops the next read.
//!
//! Compression is told by the first bytes (magic numbers), not the name. A zip is read whole
//! (`FILE.zip`: every member that is an event file, the others named as skipped) or one
//! member (`FILE.zip:member`). [`list_zip`] describes the members for a picker.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::{Format, HEAD_BYTES, Progress, detect_format, gdelt};
use crate::io::Field;

/// How a file's bytes are packed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// Plain text (or anything relmap does not unpack).
    None,
    Gzip,
    Zip,
    /// A format relmap does not unpack: its name, for the message.
    Other(&'static str),
}

/// The compression of a file from its first bytes.
pub fn compression_of(head: &[u8]) -> Compression {
    match head {
        [0x1f, 0x8b, ..] => Compression::Gzip,
        // Local file header, or the end record of an empty archive.
        [b'P', b'K', 3, 4, ..] | [b'P', b'K', 5, 6, ..] => Compression::Zip,
        [b'B', b'Z', b'h', ..] => Compression::Other("bzip2"),
        [0xfd, b'7', b'z', b'X', b'Z', 0, ..] => Compression::Other("xz"),
        [b'7', b'z', 0xbc, 0xaf, 0x27, 0x1c, ..] => Compression::Other("7-Zip"),
        [0x28, 0xb5, 0x2f, 0xfd, ..] => Compression::Other("zstd"),
        _ => Compression::None,
    }
}

/// Splits `a.zip:member` into the archive and the member's name. A path that exists as a
/// file is never split (a colon may be part of a name).
pub fn split_member(path: &Path) -> (PathBuf, Option<String>) {
    if path.exists() {
        return (path.to_path_buf(), None);
    }
    let text = path.to_string_lossy();
    let lower = text.to_ascii_lowercase();
    match lower.rfind(".zip:") {
        Some(at) if at + 5 < text.len() => (
            PathBuf::from(&text[..at + 4]),
            Some(text[at + 5..].to_string()),
        ),
        _ => (path.to_path_buf(), None),
    }
}

/// One member of a zip archive, as a member picker shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZipMember {
    /// The name inside the archive (with its folders).
    pub name: String,
    /// Size once unpacked, as the archive states it.
    pub size: u64,
    /// The event format detected from its first bytes; `None` when it is no event file.
    pub format: Option<Format>,
    /// Why it is no event file ("a folder", "not a text file", "a GDELT 2.0 mentions
    /// file, …"); `None` for event files.
    pub skip_reason: Option<String>,
}

impl ZipMember {
    pub fn is_event_file(&self) -> bool {
        self.format.is_some()
    }
}

/// Counts the bytes read from the file on disk into a [`Progress`] and stops once the load
/// is cancelled.
pub(crate) struct CountingReader<'a, R> {
    pub inner: R,
    pub progress: &'a Progress,
}

impl<R: Read> Read for CountingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.progress.is_cancelled() {
            return Err(std::io::Error::other("loading was cancelled"));
        }
        let n = self.inner.read(buf)?;
        self.progress.add_bytes(n as u64);
        Ok(n)
    }
}

impl<R: Seek> Seek for CountingReader<'_, R> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// Turns a decoding error into the end of the data, keeping the error for the caller: the
/// rows unpacked before a damaged or cut-short part are read, and the damage is reported.
/// Cancelling still ends the load as an error.
pub(crate) struct StopAtDamage<'a, R> {
    pub inner: R,
    pub damage: &'a OnceLock<String>,
    pub progress: &'a Progress,
}

impl<R: Read> Read for StopAtDamage<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.damage.get().is_some() {
            return Ok(0);
        }
        match self.inner.read(buf) {
            Err(e) if !self.progress.is_cancelled() => {
                let _ = self.damage.set(e.to_string());
                Ok(0)
            }
            other => other,
        }
    }
}

/// Opens a zip archive for streaming its members.
pub(crate) fn open_zip<'a>(
    path: &Path,
    progress: &'a Progress,
) -> Result<zip::ZipArchive<CountingReader<'a, File>>, String> {
    let file = File::open(path).map_err(|e| format!("cannot read the file: {e}"))?;
    zip::ZipArchive::new(CountingReader {
        inner: file,
        progress,
    })
    .map_err(|e| format!("not a readable zip archive (damaged or cut short?): {e}"))
}

/// Why a member is no event file, judged by its name alone (before unpacking anything).
fn skipped_by_name(name: &str, is_dir: bool) -> Option<&'static str> {
    let base = name.rsplit('/').next().unwrap_or(name);
    if is_dir || name.ends_with('/') {
        Some("a folder")
    } else if name.starts_with("__MACOSX/") || name.contains("/__MACOSX/") || base.starts_with("._")
    {
        Some("macOS metadata (__MACOSX)")
    } else if base == ".DS_Store" || base.eq_ignore_ascii_case("thumbs.db") {
        Some("file-system metadata")
    } else {
        None
    }
}

/// The event format of a member's first bytes, or why it is no event file. A CSV counts when
/// its header has a date and an actor column, or when a column mapping will be applied.
pub(crate) fn member_format(head: &[u8], mapped: bool) -> Result<Format, String> {
    if head.iter().all(u8::is_ascii_whitespace) {
        return Err("empty".into());
    }
    if super::parquet::looks_like_parquet(head) {
        // Its columns tell the format, and they are listed at its end: read as a table.
        return Ok(Format::Csv);
    }
    if compression_of(head) != Compression::None || super::looks_binary(head) {
        return Err("not a text file".into());
    }
    if let Some(what) = gdelt::non_event_file(head) {
        return Err(what.split(':').next().unwrap_or(what).to_string());
    }
    let format = detect_format(head);
    if format != Format::Csv || mapped {
        return Ok(format);
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let line = text.split(|&b| b == b'\n').next().unwrap_or(text);
    let line = String::from_utf8_lossy(line);
    let separator = ['\t', ';', ',']
        .into_iter()
        .max_by_key(|&c| line.matches(c).count())
        .unwrap_or(',');
    let fields: Vec<Option<Field>> = line
        .split(separator)
        .map(|h| Field::from_column_name(h.trim_matches(|c: char| c == '"' || c.is_whitespace())))
        .collect();
    let has = |f: Field| fields.contains(&Some(f));
    if has(Field::Date) && (has(Field::Actor1) || has(Field::Actor2) || has(Field::Actors)) {
        Ok(Format::Csv)
    } else {
        Err("no event columns (a README or codebook?)".into())
    }
}

/// Reads up to [`HEAD_BYTES`] of a reader: what detection looks at.
pub(crate) fn read_head(reader: &mut impl Read) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(HEAD_BYTES);
    reader.take(HEAD_BYTES as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// The members of a zip archive: name, unpacked size, and whether (and in which format) each
/// is an event file, from its first 64 KiB unpacked. For a member picker; loading the archive
/// whole takes exactly the members marked as event files.
pub fn list_zip(path: &Path) -> Result<Vec<ZipMember>, String> {
    let progress = Progress::new();
    let mut archive = open_zip(path, &progress)?;
    list_members(&mut archive, false)
}

pub(crate) fn list_members<R: Read + Seek>(
    archive: &mut zip::ZipArchive<R>,
    mapped: bool,
) -> Result<Vec<ZipMember>, String> {
    let mut members = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let mut file = archive
            .by_index(i)
            .map_err(|e| format!("cannot read member {} of the zip archive: {e}", i + 1))?;
        let name = match file.name() {
            Ok(name) => name.into_owned(),
            Err(_) => String::from_utf8_lossy(file.name_raw()).into_owned(),
        };
        let size = file.size();
        let judged = match skipped_by_name(&name, file.is_dir()) {
            Some(reason) => Err(reason.to_string()),
            None => match read_head(&mut file) {
                Ok(head) => member_format(&head, mapped),
                Err(e) => Err(format!("cannot be unpacked: {e}")),
            },
        };
        members.push(ZipMember {
            name,
            size,
            format: judged.as_ref().ok().copied(),
            skip_reason: judged.err(),
        });
    }
    Ok(members)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compression_is_told_by_magic_bytes() {
        assert_eq!(compression_of(b"\x1f\x8b\x08\x00"), Compression::Gzip);
        assert_eq!(compression_of(b"PK\x03\x04rest"), Compression::Zip);
        assert_eq!(compression_of(b"PK\x05\x06"), Compression::Zip);
        assert_eq!(compression_of(b"BZh91AY"), Compression::Other("bzip2"));
        assert_eq!(compression_of(b"date,actor1\n"), Compression::None);
        assert_eq!(compression_of(b"P"), Compression::None);
    }

    #[test]
    fn member_paths_split_at_the_last_zip() {
        let (zip, member) = split_member(Path::new("/no/such/a.CSV.zip:20150218.export.CSV"));
        assert_eq!(zip, PathBuf::from("/no/such/a.CSV.zip"));
        assert_eq!(member.as_deref(), Some("20150218.export.CSV"));
        let (plain, none) = split_member(Path::new("/no/such/file.csv"));
        assert_eq!((plain, none), (PathBuf::from("/no/such/file.csv"), None));
        assert_eq!(split_member(Path::new("/no/a.zip:")).1, None);
    }

    #[test]
    fn members_are_judged_by_name_and_content() {
        assert_eq!(skipped_by_name("data/", true), Some("a folder"));
        assert!(skipped_by_name("__MACOSX/._a.CSV", false).is_some());
        assert_eq!(skipped_by_name("a.CSV", false), None);
        assert_eq!(
            member_format(b"date,actor1,actor2\n2024,A,B\n", false),
            Ok(Format::Csv)
        );
        assert!(
            member_format(b"GDELT README\nThese files hold events.\n", false)
                .unwrap_err()
                .contains("README")
        );
        assert_eq!(member_format(b"x;y\n1;2\n", true), Ok(Format::Csv));
        assert!(member_format(b"\x00\x01\x02", false).is_err());
    }
}
