//! Every file regpath writes goes through here, so that an output never destroys what it
//! replaces:
//!
//! - a regular file (or a new one) is replaced atomically: a temporary file in the same
//!   directory is written, given the old file's permissions, synced and renamed over it;
//! - a symlink is followed: its final target is replaced that way and the link is kept;
//! - anything else — a device such as `/dev/null`, a FIFO, `-` (standard output) — is written
//!   in place;
//! - a failed write leaves the old file untouched and no temporary file behind.
//!
//! Output paths are checked with [`check_outputs`] before a long solve starts. A read-modify-write
//! of an output (a results file that concurrent sweeps add cases to) holds [`lock_output`].

use crate::error::input_error;
use anyhow::{Context, Result};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `bytes` to `path` (see the module docs for what is replaced and how).
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<()> {
    write_output_with(path, |w| w.write_all(bytes))
}

/// [`write_output`] with the content produced by `fill` (an error from `fill` fails the write
/// and leaves the old file untouched).
pub fn write_output_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    let shown = path.display();
    if path.as_os_str() == "-" {
        let mut out = io::stdout().lock();
        fill(&mut out)
            .and_then(|()| out.flush())
            .context("cannot write to standard output")?;
        return Ok(());
    }
    let target = resolve_links(path).with_context(|| format!("cannot write {shown}"))?;
    match fs::metadata(&target) {
        Ok(meta) if meta.is_dir() => Err(input_error(format!(
            "cannot write {shown}: it is a directory"
        ))),
        Ok(meta) if !meta.is_file() => {
            // a device or a FIFO: written in place, never replaced
            let mut f = OpenOptions::new()
                .write(true)
                .open(&target)
                .with_context(|| format!("cannot write {shown}"))?;
            fill(&mut f)
                .and_then(|()| f.flush())
                .with_context(|| format!("cannot write {shown}"))
        }
        Ok(meta) => replace(&target, Some(meta.permissions()), fill)
            .with_context(|| format!("cannot write {shown}")),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            replace(&target, None, fill).with_context(|| format!("cannot write {shown}"))
        }
        Err(e) => Err(e).with_context(|| format!("cannot write {shown}")),
    }
}

/// An exclusive lock on an output file, held until dropped: a hidden `.NAME.lock` beside the
/// file the path finally names (symlinks followed), locked with the operating system's file lock
/// (std's `File::lock`: `flock` on Unix, `LockFileEx` on Windows; NFS included, where Linux
/// emulates `flock` with byte-range locks), and removed again on release. A device, a FIFO or
/// `-` has nothing to merge and takes no lock.
#[derive(Debug)]
pub struct OutputLock {
    /// The lock file and its path; None for outputs that take no lock.
    held: Option<(File, PathBuf)>,
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        if let Some((file, path)) = self.held.take() {
            // removed while still locked, so a process that opened it meanwhile sees, once it
            // holds the lock, that the path names another file or none and starts over
            let _ = fs::remove_file(&path);
            drop(file);
        }
    }
}

/// Waits for the exclusive lock on `path` (see [`OutputLock`]).
pub fn lock_output(path: &Path) -> Result<OutputLock> {
    let shown = path.display();
    if path.as_os_str() == "-" {
        return Ok(OutputLock { held: None });
    }
    let target = resolve_links(path).with_context(|| format!("cannot lock {shown}"))?;
    match fs::metadata(&target) {
        Ok(meta) if !meta.is_file() => return Ok(OutputLock { held: None }),
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            return Err(e).with_context(|| format!("cannot lock {shown}"))
        }
        _ => {}
    }
    let (dir, name) = dir_and_name(&target);
    let lock_path = dir.join(format!(".{name}.lock"));
    let failed = |e: io::Error| {
        input_error(format!(
            "cannot lock {shown} (through {}): {e}",
            lock_path.display()
        ))
    };
    loop {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(failed)?;
        file.lock().map_err(failed)?;
        // the holder before us may have removed the file we locked: then lock the new one
        let current = match fs::metadata(&lock_path) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(failed(e)),
        };
        let ours = file.metadata().map_err(failed)?;
        if current.is_some_and(|m| same_file(&m, &ours)) {
            return Ok(OutputLock {
                held: Some((file, lock_path)),
            });
        }
    }
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    (a.dev(), a.ino()) == (b.dev(), b.ino())
}

#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    true
}

/// A file's directory (`.` for a bare name) and its name.
fn dir_and_name(target: &Path) -> (&Path, String) {
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (dir, name)
}

/// The file a path finally names: symlinks followed (relative targets resolved against the
/// link's directory), up to 40 hops. A path that is not a link is returned as it is.
fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let next = fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if next.is_relative() => dir.join(next),
                    _ => next,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Replaces the regular file `target` (or creates it) through a temporary file in its
/// directory, with `mode` (the old file's permissions) when there was one.
fn replace(
    target: &Path,
    mode: Option<fs::Permissions>,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let (dir, name) = dir_and_name(target);
    let tmp = dir.join(format!(
        ".{name}.{}-{}.tmp",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        fill(&mut f)?;
        f.flush()?;
        if let Some(mode) = mode {
            f.set_permissions(mode)?;
        }
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, target)?;
        // the rename is durable once the directory is synced (best effort)
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Fails early (exit 2), before any work, when an output cannot be written: its directory is
/// missing, it is a directory, or two outputs name the same file (one would overwrite the other).
pub fn check_outputs<'a>(paths: impl IntoIterator<Item = &'a Path>) -> Result<()> {
    let mut seen: Vec<(PathBuf, &Path)> = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            continue;
        }
        if let Some(d) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !d.is_dir() {
                return Err(input_error(format!(
                    "cannot write {}: directory {} does not exist",
                    path.display(),
                    d.display()
                )));
            }
        }
        let target = resolve_links(path).unwrap_or_else(|_| path.to_path_buf());
        if target.is_dir() {
            return Err(input_error(format!(
                "cannot write {}: it is a directory",
                path.display()
            )));
        }
        let key = identity(&target);
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
            return Err(input_error(format!(
                "{} and {} are the same file: each output needs its own path",
                first.display(),
                path.display()
            )));
        }
        seen.push((key, path));
    }
    Ok(())
}

/// `path` with its directory canonicalized, so `a/../f` and `f` compare equal.
fn identity(path: &Path) -> PathBuf {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match (fs::canonicalize(dir), path.file_name()) {
        (Ok(d), Some(name)) => d.join(name),
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("regpath-output-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn item_01_a_regular_file_is_replaced_atomically_with_its_mode_kept() {
        let d = scratch("mode");
        let f = d.join("out.json");
        fs::write(&f, "old").unwrap();
        fs::set_permissions(&f, fs::Permissions::from_mode(0o600)).unwrap();
        write_output(&f, b"new").unwrap();
        assert_eq!(fs::read_to_string(&f).unwrap(), "new");
        assert_eq!(
            fs::metadata(&f).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert!(leftovers(&d).is_empty());
    }

    #[test]
    fn item_01_a_symlink_is_kept_and_its_target_replaced() {
        let d = scratch("link");
        let target = d.join("target.json");
        let link = d.join("link.json");
        fs::write(&target, "old").unwrap();
        std::os::unix::fs::symlink("target.json", &link).unwrap();
        write_output(&link, b"new").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
    }

    #[test]
    fn item_01_a_device_is_written_in_place_not_replaced() {
        let null = Path::new("/dev/null");
        if !null.exists() {
            return;
        }
        write_output(null, b"discarded").unwrap();
        assert!(fs::metadata(null).unwrap().file_type().is_char_device());
    }

    #[test]
    fn item_01_a_fifo_is_written_in_place_not_replaced() {
        let d = scratch("fifo");
        let fifo = d.join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo here
        }
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read(fifo).unwrap())
        };
        write_output(&fifo, b"through the pipe").unwrap();
        assert_eq!(reader.join().unwrap(), b"through the pipe");
        assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
        assert!(leftovers(&d).is_empty());
    }

    #[test]
    fn item_01_11_a_failed_write_leaves_the_old_file_and_no_temporary_file() {
        let d = scratch("fail");
        let f = d.join("coef.npy");
        fs::write(&f, "good").unwrap();
        let err = write_output_with(&f, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        })
        .unwrap_err();
        assert!(format!("{err:#}").contains("disk full"), "{err:#}");
        assert_eq!(fs::read_to_string(&f).unwrap(), "good");
        assert!(leftovers(&d).is_empty(), "{:?}", leftovers(&d));
    }

    #[test]
    fn item_08_the_lock_excludes_follows_links_and_is_removed() {
        let d = scratch("lock");
        let target = d.join("target.json");
        let link = d.join("link.json");
        fs::write(&target, "{}").unwrap();
        std::os::unix::fs::symlink("target.json", &link).unwrap();
        let held = lock_output(&link).unwrap();
        assert!(
            d.join(".target.json.lock").is_file(),
            "beside the link's target"
        );
        // a second locker (through the other name) waits until the first lets go
        let (tx, rx) = std::sync::mpsc::channel();
        let waiter = {
            let target = target.clone();
            std::thread::spawn(move || {
                let lock = lock_output(&target).unwrap();
                tx.send(()).unwrap();
                drop(lock);
            })
        };
        let waited = rx.recv_timeout(std::time::Duration::from_millis(300));
        assert!(
            waited.is_err(),
            "the second lock was granted while the first was held"
        );
        drop(held);
        rx.recv_timeout(std::time::Duration::from_secs(10))
            .expect("the second lock once the first is released");
        waiter.join().unwrap();
        assert!(!d.join(".target.json.lock").exists(), "removed on release");
        // special files and standard output take no lock
        assert!(lock_output(Path::new("-")).unwrap().held.is_none());
        if Path::new("/dev/null").exists() {
            assert!(lock_output(Path::new("/dev/null")).unwrap().held.is_none());
        }
    }

    #[test]
    fn item_03_11_outputs_are_checked_before_the_work() {
        let d = scratch("check");
        let a = d.join("a.json");
        let same = d.join("sub").join("..").join("a.json");
        fs::create_dir_all(d.join("sub")).unwrap();
        assert!(check_outputs([a.as_path(), d.join("b.npy").as_path()]).is_ok());
        let err = check_outputs([a.as_path(), same.as_path()]).unwrap_err();
        assert!(err.to_string().contains("same file"), "{err}");
        assert!(check_outputs([d.as_path()]).is_err());
        assert!(check_outputs([d.join("missing").join("x.json").as_path()]).is_err());
    }
}
