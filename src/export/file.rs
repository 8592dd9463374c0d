//! Writing a file so that a crash or a full disk never leaves half of it: the bytes go to a
//! temporary file in the same folder, are flushed to disk, and the temporary file is renamed
//! over the target in one step. [`AtomicFile`] does the same for output written piece by
//! piece, [`AtomicFolder`] for a folder of files (a film's frames).

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// Replaces (or creates) `path` with `bytes` atomically: readers see the old file or the new
/// one, never a mix. A symbolic link is followed (its target is replaced, the link stays), and
/// an existing file's permissions are kept. On error the target is untouched and the
/// temporary file removed.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)?;
    file.commit()
}

/// The file a write to `path` replaces (a symbolic link's target), and its folder.
fn target_and_folder(path: &Path) -> io::Result<(PathBuf, PathBuf)> {
    let target = match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    if target.file_name().is_none() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} does not name a file", path.display()),
        ));
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((target, dir))
}

/// A file that appears at its path only once complete, for output written bit by bit (a
/// film): the bytes go to a temporary file in the same folder, and [`AtomicFile::commit`]
/// flushes it to disk and renames it over the target. Dropped without a commit (an error,
/// Ctrl+C, a panic) it removes the temporary file, so no half-written file is ever left.
/// Follows symbolic links and keeps an existing file's permissions, like
/// [`write_file_atomically`].
pub struct AtomicFile {
    temp: PathBuf,
    target: PathBuf,
    dir: PathBuf,
    permissions: Option<fs::Permissions>,
    /// `None` once committed.
    file: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Starts writing `path`: creates the temporary file (which fails at once if the folder
    /// is missing or not writable).
    pub fn create(path: &Path) -> io::Result<Self> {
        let (target, dir) = target_and_folder(path)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let permissions = fs::metadata(&target).ok().map(|m| m.permissions());
        let (temp, file) = create_temp(&dir, &name)?;
        Ok(Self {
            temp,
            target,
            dir,
            permissions,
            file: Some(BufWriter::with_capacity(1 << 16, file)),
        })
    }

    /// The temporary file being written.
    pub fn temp_path(&self) -> &Path {
        &self.temp
    }

    /// The file that [`Self::commit`] puts in place (a symbolic link's target).
    pub fn target(&self) -> &Path {
        &self.target
    }

    fn writer(&mut self) -> io::Result<&mut BufWriter<File>> {
        self.file
            .as_mut()
            .ok_or_else(|| io::Error::other("the file is already committed"))
    }

    /// The temporary file, for writes at chosen offsets (`FileExt::write_at`, an index's
    /// sections filled in side by side): what was written through `Write` is flushed first,
    /// and writes through `Write` after them would go wherever the cursor was.
    pub fn positioned(&mut self) -> io::Result<&File> {
        let writer = self.writer()?;
        writer.flush()?;
        Ok(writer.get_ref())
    }

    /// Flushes the bytes to disk and renames the temporary file over the target.
    pub fn commit(mut self) -> io::Result<()> {
        let writer = self
            .file
            .take()
            .ok_or_else(|| io::Error::other("the file is already committed"))?;
        let file = writer.into_inner().map_err(|e| e.into_error())?;
        if let Some(p) = self.permissions.take() {
            file.set_permissions(p)?;
        }
        file.sync_all()?;
        drop(file);
        fs::rename(&self.temp, &self.target)?;
        // Renamed: nothing for `drop` to remove.
        self.temp = PathBuf::new();
        sync_folder(&self.dir);
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer()?.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer()?.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer()?.flush()
    }
}

impl Seek for AtomicFile {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.writer()?.seek(pos)
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        self.file = None;
        if !self.temp.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// A folder of files that appears at its path only once complete (a film's PNG frames): the
/// files go into a temporary folder beside it, [`AtomicFolder::commit`] renames that into
/// place. Dropped without a commit it removes the temporary folder and what is in it.
pub struct AtomicFolder {
    temp: PathBuf,
    target: PathBuf,
    dir: PathBuf,
}

impl AtomicFolder {
    /// Starts the folder `path`. `replaceable(existing)` says whether a folder already there
    /// may be replaced (e.g. it holds only an older film's frames); if not, this fails with
    /// `AlreadyExists` and nothing is created.
    pub fn create(path: &Path, replaceable: impl Fn(&Path) -> bool) -> io::Result<Self> {
        let (target, dir) = target_and_folder(path)?;
        match fs::symlink_metadata(&target) {
            Ok(meta) if !meta.is_dir() || !replaceable(&target) => {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "exists and is not a folder of frames that may be replaced",
                ));
            }
            _ => {}
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let temp = loop {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let temp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
            match fs::create_dir(&temp) {
                Ok(()) => break temp,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        };
        Ok(Self { temp, target, dir })
    }

    /// The temporary folder to write the files into.
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// Renames the temporary folder into place; a folder already there (one `create` was
    /// allowed to replace) is moved aside first and removed after.
    pub fn commit(mut self) -> io::Result<()> {
        let old = self.temp.with_extension("old");
        let had_old = match fs::rename(&self.target, &old) {
            Ok(()) => true,
            Err(e) if e.kind() == io::ErrorKind::NotFound => false,
            Err(e) => return Err(e),
        };
        if let Err(e) = fs::rename(&self.temp, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        self.temp = PathBuf::new();
        if had_old {
            let _ = fs::remove_dir_all(&old);
        }
        sync_folder(&self.dir);
        Ok(())
    }
}

impl Drop for AtomicFolder {
    fn drop(&mut self) {
        if !self.temp.as_os_str().is_empty() {
            let _ = fs::remove_dir_all(&self.temp);
        }
    }
}

/// Makes a rename durable once the folder's entry is: best effort, some file systems refuse
/// to sync a folder, and the file itself is complete either way.
fn sync_folder(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// A new, empty file `.<name>.<pid>.<n>.tmp` in `dir`.
fn create_temp(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn creates_and_replaces_leaving_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("map.svg");
        write_file_atomically(&path, b"first version, rather long").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"first version, rather long");
        write_file_atomically(&path, b"second").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        assert_eq!(names(dir.path()), ["map.svg"]);
    }

    #[test]
    fn fails_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        // The target is a folder: the rename fails, nothing is left behind.
        let sub = dir.path().join("sub");
        fs::create_dir(&sub).unwrap();
        fs::write(sub.join("keep"), b"x").unwrap();
        assert!(write_file_atomically(&sub, b"data").is_err());
        assert_eq!(names(dir.path()), ["sub"]);
        // No such folder.
        assert!(write_file_atomically(&dir.path().join("missing/map.png"), b"x").is_err());
        assert!(write_file_atomically(Path::new("/"), b"x").is_err());
    }

    #[test]
    fn an_atomic_file_appears_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("film.gif");
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"GIF89a").unwrap();
        assert!(!path.exists());
        assert_eq!(names(dir.path()).len(), 1, "only the temporary file");
        file.commit().unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"GIF89a");
        assert_eq!(names(dir.path()), ["film.gif"]);
        // Dropped half way (an error, Ctrl+C): the old file stays, the temporary one goes.
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"half").unwrap();
        drop(file);
        assert_eq!(fs::read(&path).unwrap(), b"GIF89a");
        assert_eq!(names(dir.path()), ["film.gif"]);
    }

    #[test]
    fn an_atomic_folder_appears_whole_and_replaces_only_what_it_may() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("frames");
        let folder = AtomicFolder::create(&path, |_| false).unwrap();
        fs::write(folder.path().join("frame-0001.png"), b"1").unwrap();
        assert!(!path.exists());
        folder.commit().unwrap();
        assert_eq!(names(&path), ["frame-0001.png"]);
        // Replacing is allowed by the caller: the old folder goes, the new one is whole.
        let folder = AtomicFolder::create(&path, |_| true).unwrap();
        fs::write(folder.path().join("frame-0002.png"), b"2").unwrap();
        folder.commit().unwrap();
        assert_eq!(names(&path), ["frame-0002.png"]);
        assert_eq!(names(dir.path()), ["frames"]);
        // Not allowed: refused, nothing created; dropped: the temporary folder goes.
        assert!(AtomicFolder::create(&path, |_| false).is_err());
        let folder = AtomicFolder::create(&dir.path().join("other"), |_| false).unwrap();
        fs::write(folder.path().join("frame-0001.png"), b"1").unwrap();
        drop(folder);
        assert_eq!(names(dir.path()), ["frames"]);
    }

    #[cfg(unix)]
    #[test]
    fn keeps_permissions_and_follows_links() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("map.png");
        fs::write(&path, b"old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.png");
        std::os::unix::fs::symlink(&path, &link).unwrap();
        write_file_atomically(&link, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640
        );
        assert_eq!(names(dir.path()), ["link.png", "map.png"]);
    }
}
