//! One way for the app to ask for files, whatever the desktop offers: the native dialog
//! through `rfd` where one is available (always on Windows and macOS; on Linux and the BSDs
//! only through an xdg desktop portal), the in-app dialog ([`super::file_dialog`])
//! otherwise. Either way the answer arrives on a channel the app polls, `None` for Cancel.
//!
//! Why: rfd's portal backend answers `None` at once when no portal runs, which looks like
//! Cancel, so without this nothing could be opened or saved on minimal window managers,
//! remote desktops or the virtual display of the tests. The portal's bus name is looked up
//! once, on a worker, when the chooser is made; a native dialog that still answers `None`
//! within [`BROKEN_PORTAL_MS`] is taken as a broken portal: the request goes to the in-app
//! dialog and so do all later ones.
//!
//! `RELMAP_FILE_DIALOG=builtin|native` overrides the choice (a broken portal that does not
//! fail fast; tests).

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use eframe::egui;

use super::file_dialog::{DialogMode, DialogOutcome, FileDialog, FileFilter, RecentFolders};

/// The environment variable that overrides the choice of dialog.
pub const BACKEND_ENV: &str = "RELMAP_FILE_DIALOG";
/// A native dialog that answers `None` sooner than this was never shown.
pub const BROKEN_PORTAL_MS: u64 = 150;
/// How long a request waits for the portal look-up still under way.
const PROBE_WAIT: Duration = Duration::from_millis(500);
/// Where the app's storage keeps the recent folders.
const RECENT_FOLDERS_KEY: &str = "relmap.file_dialog.recent_folders";

/// Which dialog to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogBackend {
    /// Native where available, else in-app.
    Auto,
    /// Always rfd's native dialog.
    Native,
    /// Always the in-app dialog.
    Builtin,
}

impl DialogBackend {
    /// `RELMAP_FILE_DIALOG`: `builtin` or `native`; anything else (or nothing) is `Auto`.
    pub fn from_env() -> Self {
        match std::env::var(BACKEND_ENV) {
            Ok(value) => Self::parse(&value).unwrap_or_else(|| {
                eprintln!(
                    "relmap: {BACKEND_ENV}={value:?} is neither \"builtin\" nor \"native\"; \
                     choosing by the desktop"
                );
                Self::Auto
            }),
            Err(_) => Self::Auto,
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "builtin" | "in-app" => Some(Self::Builtin),
            "native" | "portal" => Some(Self::Native),
            "auto" | "" => Some(Self::Auto),
            _ => None,
        }
    }
}

/// What the app asks for: built like rfd's dialog, answered by either backend.
#[derive(Clone, Debug)]
pub struct FileRequest {
    pub mode: DialogMode,
    pub title: String,
    pub filters: Vec<FileFilter>,
    pub file_name: Option<String>,
    pub directory: Option<PathBuf>,
}

impl FileRequest {
    fn new(mode: DialogMode, title: &str) -> Self {
        Self {
            mode,
            title: title.to_string(),
            filters: Vec::new(),
            file_name: None,
            directory: None,
        }
    }

    /// One existing file.
    pub fn open(title: &str) -> Self {
        Self::new(DialogMode::Open { multiple: false }, title)
    }

    /// One or several existing files.
    pub fn open_many(title: &str) -> Self {
        Self::new(DialogMode::Open { multiple: true }, title)
    }

    /// A file to write.
    pub fn save(title: &str) -> Self {
        Self::new(DialogMode::Save, title)
    }

    /// Adds a filter; the first is the one shown at first. `*` stands for every file.
    pub fn filter(mut self, name: &str, extensions: &[&str]) -> Self {
        self.filters.push(FileFilter::new(name, extensions));
        self
    }

    /// The name proposed for a file to save.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The folder to start in (else the last folder used).
    pub fn directory(mut self, dir: &Path) -> Self {
        self.directory = Some(dir.to_path_buf());
        self
    }

    fn rfd_dialog(&self, start: Option<&Path>) -> rfd::AsyncFileDialog {
        let mut dialog = rfd::AsyncFileDialog::new().set_title(&self.title);
        for filter in &self.filters {
            dialog = dialog.add_filter(&filter.name, &filter.extensions);
        }
        if let Some(name) = &self.file_name {
            dialog = dialog.set_file_name(name);
        }
        if let Some(dir) = start {
            dialog = dialog.set_directory(dir);
        }
        dialog
    }
}

/// A native dialog under way: the paths chosen, `None` for Cancel (or no dialog at all).
type NativeFuture = Pin<Box<dyn Future<Output = Option<Vec<PathBuf>>> + Send>>;

/// Starts a native dialog for a request, in a start folder.
type NativeDialog = fn(&FileRequest, Option<&Path>) -> NativeFuture;

/// rfd's dialog for the request.
fn rfd_native(request: &FileRequest, start: Option<&Path>) -> NativeFuture {
    let dialog = request.rfd_dialog(start);
    let paths =
        |files: Vec<rfd::FileHandle>| files.iter().map(|f| f.path().to_path_buf()).collect();
    match request.mode {
        DialogMode::Open { multiple: true } => {
            let future = dialog.pick_files();
            Box::pin(async move { future.await.map(paths) })
        }
        DialogMode::Open { multiple: false } => {
            let future = dialog.pick_file();
            Box::pin(async move { future.await.map(|f| paths(vec![f])) })
        }
        DialogMode::Save => {
            let future = dialog.save_file();
            Box::pin(async move { future.await.map(|f| paths(vec![f])) })
        }
    }
}

/// Where an answer goes: the app's channel, for one path or several.
enum Reply {
    One(Sender<Option<PathBuf>>),
    Many(Sender<Option<Vec<PathBuf>>>),
}

impl Reply {
    fn send(self, paths: Option<Vec<PathBuf>>) {
        let paths = paths.filter(|p| !p.is_empty());
        // A closed channel means the app no longer waits: nothing to do.
        match self {
            Reply::One(tx) => {
                let _ = tx.send(paths.and_then(|p| p.into_iter().next()));
            }
            Reply::Many(tx) => {
                let _ = tx.send(paths);
            }
        }
    }
}

/// Whether a desktop portal is there to show native dialogs.
enum Portal {
    Probing(Receiver<bool>),
    Known(bool),
}

/// The app's file dialogs. Make one at start (`load`), ask with `pick_one` / `pick_many`,
/// and call `show` every frame before the app handles its shortcuts.
pub struct FileChooser {
    backend: DialogBackend,
    portal: Portal,
    /// Set by a worker when a native dialog failed at once.
    broken: Arc<AtomicBool>,
    fallback_tx: Sender<(FileRequest, Reply)>,
    fallback_rx: Receiver<(FileRequest, Reply)>,
    active: Option<(FileDialog, Reply)>,
    /// Shared with the workers of native dialogs, which remember where files were picked.
    recent: Arc<Mutex<RecentFolders>>,
    native: NativeDialog,
}

impl FileChooser {
    pub fn new(backend: DialogBackend, recent: RecentFolders) -> Self {
        let portal = if backend == DialogBackend::Auto && NEEDS_PORTAL {
            let (tx, rx) = channel();
            std::thread::Builder::new()
                .name("portal-probe".into())
                .spawn(move || {
                    let _ = tx.send(portal_on_session_bus());
                })
                .map_or(Portal::Known(false), |_| Portal::Probing(rx))
        } else {
            Portal::Known(true)
        };
        let (fallback_tx, fallback_rx) = channel();
        Self {
            backend,
            portal,
            broken: Arc::new(AtomicBool::new(false)),
            fallback_tx,
            fallback_rx,
            active: None,
            recent: Arc::new(Mutex::new(recent)),
            native: rfd_native,
        }
    }

    /// The chooser the environment asks for, with the recent folders of the last session.
    pub fn load(storage: Option<&dyn eframe::Storage>) -> Self {
        let recent = storage
            .and_then(|s| eframe::get_value(s, RECENT_FOLDERS_KEY))
            .unwrap_or_default();
        Self::new(DialogBackend::from_env(), recent)
    }

    /// Keeps the recent folders for the next session.
    pub fn save(&self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, RECENT_FOLDERS_KEY, &self.recent_folders());
    }

    pub fn set_backend(&mut self, backend: DialogBackend) {
        *self = Self::new(backend, self.recent_folders());
    }

    pub fn recent_folders(&self) -> RecentFolders {
        self.recent.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Whether the in-app dialog is on screen.
    pub fn is_open(&self) -> bool {
        self.active.is_some()
    }

    /// Whether requests go to the in-app dialog now.
    pub fn uses_builtin(&mut self) -> bool {
        match self.backend {
            DialogBackend::Builtin => true,
            DialogBackend::Native => false,
            DialogBackend::Auto => {
                if self.broken.load(Ordering::Relaxed) {
                    return true;
                }
                if let Portal::Probing(rx) = &self.portal {
                    // A bus that does not answer in time has no portal worth waiting for.
                    self.portal = Portal::Known(rx.recv_timeout(PROBE_WAIT).unwrap_or(false));
                }
                matches!(self.portal, Portal::Known(false))
            }
        }
    }

    /// Asks for one path (Open or Save); `None` arrives for Cancel.
    pub fn pick_one(
        &mut self,
        ctx: &egui::Context,
        request: FileRequest,
    ) -> Receiver<Option<PathBuf>> {
        let (tx, rx) = channel();
        self.start(ctx, request, Reply::One(tx));
        rx
    }

    /// Asks for several files (or one, per the request's mode); `None` for Cancel.
    pub fn pick_many(
        &mut self,
        ctx: &egui::Context,
        request: FileRequest,
    ) -> Receiver<Option<Vec<PathBuf>>> {
        let (tx, rx) = channel();
        self.start(ctx, request, Reply::Many(tx));
        rx
    }

    fn start_folder(&self, request: &FileRequest) -> Option<PathBuf> {
        request
            .directory
            .clone()
            .or_else(|| self.recent_folders().folders().first().cloned())
    }

    fn start(&mut self, ctx: &egui::Context, request: FileRequest, reply: Reply) {
        if self.uses_builtin() {
            self.open_builtin(ctx, request, reply);
        } else {
            self.start_native(ctx, request, reply);
        }
    }

    fn open_builtin(&mut self, ctx: &egui::Context, request: FileRequest, reply: Reply) {
        if self.active.is_some() {
            // One dialog at a time: the one on screen keeps its request.
            reply.send(None);
            return;
        }
        let dialog = FileDialog::new(
            request.mode,
            &request.title,
            request.filters.clone(),
            self.start_folder(&request),
            request.file_name.clone(),
        );
        self.active = Some((dialog, reply));
        ctx.request_repaint();
    }

    /// rfd's dialog, awaited on a worker (it blocks the thread that waits for it).
    fn start_native(&mut self, ctx: &egui::Context, request: FileRequest, reply: Reply) {
        // Made here, awaited on the worker: macOS wants its dialogs started on the main thread.
        let future = (self.native)(&request, self.start_folder(&request).as_deref());
        let ctx = ctx.clone();
        let broken = Arc::clone(&self.broken);
        let fallback = self.fallback_tx.clone();
        let recent = Arc::clone(&self.recent);
        let check_fast_none = self.backend == DialogBackend::Auto;
        let started = Instant::now();
        std::thread::spawn(move || {
            let paths = pollster::block_on(future);
            if paths.is_none()
                && check_fast_none
                && started.elapsed() < Duration::from_millis(BROKEN_PORTAL_MS)
            {
                broken.store(true, Ordering::Relaxed);
                let _ = fallback.send((request, reply));
            } else {
                if let Some(dir) = paths
                    .as_ref()
                    .and_then(|p| p.first())
                    .and_then(|p| p.parent())
                    && let Ok(mut recent) = recent.lock()
                {
                    recent.remember(dir);
                }
                reply.send(paths);
            }
            ctx.request_repaint();
        });
    }

    /// Draws the in-app dialog when one is open (and takes over requests a broken portal
    /// sent back). Call it before the app handles shortcuts: the dialog takes its keys, and
    /// the app behind it gets none while it is open.
    pub fn show(&mut self, ctx: &egui::Context) {
        while let Ok((request, reply)) = self.fallback_rx.try_recv() {
            self.open_builtin(ctx, request, reply);
        }
        let mut recent = self.recent_folders();
        let Some((dialog, _)) = &mut self.active else {
            return;
        };
        let outcome = dialog.show(ctx, &mut recent);
        if let Ok(mut shared) = self.recent.lock() {
            *shared = recent;
        }
        if let Some(outcome) = outcome
            && let Some((_, reply)) = self.active.take()
        {
            reply.send(match outcome {
                DialogOutcome::Picked(paths) => Some(paths),
                DialogOutcome::Cancelled => None,
            });
            ctx.request_repaint();
        }
    }
}

/// Native dialogs need a portal on the desktops where rfd speaks to one.
const NEEDS_PORTAL: bool = cfg!(all(unix, not(target_os = "macos")));

/// The portal's well-known name on the session bus.
#[cfg(all(unix, not(target_os = "macos")))]
const PORTAL_NAME: &str = "org.freedesktop.portal.Desktop";

/// Whether `org.freedesktop.portal.Desktop` runs on the session bus or can be started by it
/// (the portal is usually bus-activated: it has no owner until first used).
#[cfg(all(unix, not(target_os = "macos")))]
fn portal_on_session_bus() -> bool {
    pollster::block_on(async {
        match zbus::Connection::session().await {
            Ok(connection) => portal_on(&connection).await,
            Err(_) => false,
        }
    })
}

#[cfg(all(unix, not(target_os = "macos")))]
async fn portal_on(connection: &zbus::Connection) -> bool {
    {
        let Ok(bus) = zbus::fdo::DBusProxy::new(connection).await else {
            return false;
        };
        let Ok(name) = zbus::names::BusName::try_from(PORTAL_NAME) else {
            return false;
        };
        if bus.name_has_owner(name).await.unwrap_or(false) {
            return true;
        }
        bus.list_activatable_names()
            .await
            .map(|names| names.iter().any(|n| n.as_str() == PORTAL_NAME))
            .unwrap_or(false)
    }
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn portal_on_session_bus() -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_names_the_backend() {
        assert_eq!(
            DialogBackend::parse("builtin"),
            Some(DialogBackend::Builtin)
        );
        assert_eq!(
            DialogBackend::parse(" Native "),
            Some(DialogBackend::Native)
        );
        assert_eq!(DialogBackend::parse(""), Some(DialogBackend::Auto));
        assert_eq!(DialogBackend::parse("gtk"), None);
    }

    #[test]
    fn a_reply_for_one_path_takes_the_first_and_empty_is_cancel() {
        let (tx, rx) = channel();
        Reply::One(tx).send(Some(vec![PathBuf::from("/a"), PathBuf::from("/b")]));
        assert_eq!(rx.recv().unwrap(), Some(PathBuf::from("/a")));
        let (tx, rx) = channel();
        Reply::Many(tx).send(Some(Vec::new()));
        assert_eq!(rx.recv().unwrap(), None);
    }

    fn cancelled_at_once(_: &FileRequest, _: Option<&Path>) -> NativeFuture {
        Box::pin(async { None })
    }

    fn picked_slowly(request: &FileRequest, _: Option<&Path>) -> NativeFuture {
        let name = request.file_name.clone().unwrap_or_default();
        Box::pin(async move {
            std::thread::sleep(Duration::from_millis(BROKEN_PORTAL_MS + 50));
            Some(vec![PathBuf::from("/picked").join(name)])
        })
    }

    /// The chooser as on a desktop with a portal (the look-up already done).
    fn with_portal(native: NativeDialog) -> FileChooser {
        let mut chooser = FileChooser::new(DialogBackend::Native, RecentFolders::default());
        chooser.backend = DialogBackend::Auto;
        chooser.native = native;
        chooser
    }

    fn wait_for<T>(ctx: &egui::Context, chooser: &mut FileChooser, rx: &Receiver<T>) -> Option<T> {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(answer) = rx.try_recv() {
                return Some(answer);
            }
            if chooser.is_open() {
                return None;
            }
            let mut output = ctx.run_ui(Default::default(), |ui| chooser.show(ui.ctx()));
            output.textures_delta.clear();
            std::thread::sleep(Duration::from_millis(5));
        }
        panic!("no answer and no dialog");
    }

    #[test]
    fn a_native_dialog_that_answers_none_at_once_falls_back_to_the_in_app_one_for_good() {
        let ctx = egui::Context::default();
        let mut chooser = with_portal(cancelled_at_once);
        assert!(!chooser.uses_builtin());
        let rx = chooser.pick_one(&ctx, FileRequest::save("Save").file_name("x.relmap"));
        assert_eq!(
            wait_for(&ctx, &mut chooser, &rx),
            None,
            "no Cancel reaches the app"
        );
        assert!(chooser.is_open(), "the in-app dialog took the request");
        assert!(chooser.uses_builtin(), "and takes the next ones");
    }

    #[test]
    fn a_native_dialog_that_took_its_time_is_believed() {
        let ctx = egui::Context::default();
        let mut chooser = with_portal(picked_slowly);
        let rx = chooser.pick_one(&ctx, FileRequest::save("Save").file_name("x.relmap"));
        let answer = wait_for(&ctx, &mut chooser, &rx);
        assert_eq!(answer, Some(Some(PathBuf::from("/picked/x.relmap"))));
        assert!(!chooser.is_open());
        assert!(!chooser.uses_builtin());
        assert_eq!(
            chooser.recent_folders().folders(),
            [PathBuf::from("/picked")]
        );
    }

    /// A private bus from `dbus-daemon` (skipped where it is not installed), with a service
    /// folder that can announce an activatable portal.
    #[cfg(all(unix, not(target_os = "macos")))]
    #[test]
    fn the_portal_is_found_running_or_activatable_on_the_bus() {
        use std::io::{BufRead, BufReader};
        let dir = tempfile::tempdir().unwrap();
        let services = dir.path().join("services");
        std::fs::create_dir(&services).unwrap();
        let config = dir.path().join("bus.conf");
        std::fs::write(
            &config,
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={dir}</listen>
  <servicedir>{services}</servicedir>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>"#,
                dir = dir.path().display(),
                services = services.display()
            ),
        )
        .unwrap();
        let Ok(mut daemon) = std::process::Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
        else {
            eprintln!("dbus-daemon is not installed: nothing to check");
            return;
        };
        let mut address = String::new();
        BufReader::new(daemon.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        let address = address.trim().to_string();
        // On a worker, so that a bus that does not answer fails the test instead of hanging it.
        let (done, finished) = channel();
        std::thread::spawn(move || {
            let outcome = std::panic::catch_unwind(|| {
                pollster::block_on(async {
                    let connect = || async {
                        zbus::connection::Builder::address(address.as_str())
                            .unwrap()
                            .build()
                            .await
                            .unwrap()
                    };
                    let app = connect().await;
                    assert!(!portal_on(&app).await, "no portal on a bare bus");
                    let portal = zbus::connection::Builder::address(address.as_str())
                        .unwrap()
                        .name(PORTAL_NAME)
                        .unwrap()
                        .build()
                        .await
                        .unwrap();
                    assert!(portal_on(&app).await, "a running portal");
                    drop(portal);
                    std::fs::write(
                        services.join("portal.service"),
                        format!("[D-BUS Service]\nName={PORTAL_NAME}\nExec=/bin/false\n"),
                    )
                    .unwrap();
                    // The bus reads its service folder again on ReloadConfig.
                    let bus = zbus::fdo::DBusProxy::new(&app).await.unwrap();
                    bus.reload_config().await.unwrap();
                    assert!(portal_on(&app).await, "a portal the bus would start");
                })
            });
            let _ = done.send(outcome.map_err(|_| ()));
        });
        let outcome = finished.recv_timeout(Duration::from_secs(20));
        let _ = daemon.kill();
        let _ = daemon.wait();
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(())) => panic!("a check failed (see above)"),
            Err(_) => panic!("the bus did not answer in 20 s"),
        }
    }

    #[test]
    fn builtin_answers_through_the_same_channel() {
        let ctx = egui::Context::default();
        let mut chooser = FileChooser::new(DialogBackend::Builtin, RecentFolders::default());
        assert!(chooser.uses_builtin());
        let rx = chooser.pick_one(&ctx, FileRequest::save("Save").file_name("x.relmap"));
        assert!(chooser.is_open());
        // A second request while one is on screen is answered with Cancel.
        let second = chooser.pick_many(&ctx, FileRequest::open_many("Open"));
        assert_eq!(second.try_recv().unwrap(), None);
        assert!(rx.try_recv().is_err(), "the first still waits");
    }
}
