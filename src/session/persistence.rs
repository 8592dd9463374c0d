//! Where a session's work is kept: the workspace file it was saved as, whether it has
//! changes since, and the recovery file that unsaved work is autosaved to (written on a
//! worker thread from a shared copy of the data, so a big file never stalls the window).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::model::Dataset;
use crate::workspace::{self, View};

/// The autosave's file name, in the app's storage folder.
pub const RECOVERY_FILE: &str = "recovery.relmap";

/// The workspace file, the unsaved mark and the recovery folder.
#[derive(Clone, Debug, Default)]
pub struct Persistence {
    /// Where the workspace was saved or opened from.
    pub(super) workspace_path: Option<PathBuf>,
    /// Changes since the workspace was saved (or the file opened).
    pub(super) unsaved: bool,
    /// Where unsaved work is autosaved; `None` without persistence (tests).
    pub(super) recovery_dir: Option<PathBuf>,
}

impl Persistence {
    pub fn recovery_path(&self) -> Option<PathBuf> {
        self.recovery_dir.as_ref().map(|d| d.join(RECOVERY_FILE))
    }

    /// Throws the autosave away (after a save, a proper exit, or "Don't Save").
    pub fn remove_recovery(&self) {
        if let Some(path) = self.recovery_path() {
            // Absent is fine: nothing was autosaved yet.
            let _ = std::fs::remove_file(path);
        }
    }
}

/// An autosave to run on a worker thread: everything it needs, taken on the UI thread
/// without copying the events.
pub struct AutosaveJob {
    pub(super) path: PathBuf,
    pub(super) dataset: Arc<Dataset>,
    /// The unedited source file, referred to instead of embedded when it is big.
    pub(super) source: Option<PathBuf>,
    pub(super) checksum: Option<(String, u64)>,
    pub(super) view: View,
}

/// What an autosave sends back.
#[derive(Debug)]
pub struct AutosaveOutcome {
    /// Why it failed, if it did.
    pub problem: Option<String>,
    /// The source's checksum, worked out on the worker (a whole read of a big file).
    pub checksum: Option<(String, u64)>,
}

impl AutosaveJob {
    /// Writes the recovery file (atomically: write, sync, rename).
    pub fn run(mut self) -> AutosaveOutcome {
        let result = self
            .path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| {
                workspace::choose_data(&self.dataset, self.source.as_deref(), &mut self.checksum)
            })
            .and_then(|data| workspace::save(&self.path, &self.dataset, data, &self.view));
        AutosaveOutcome {
            problem: result.err().map(|e| e.to_string()),
            checksum: self.checksum,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}
