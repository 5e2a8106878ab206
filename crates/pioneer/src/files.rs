//! Files pioneer writes belong to its operator alone: folders are made 0700 and files 0600
//! (database, WAL, key, backups, exports), as ssh keeps its own.

use std::io::Write;
use std::path::Path;

/// Makes `dir` (and its parents) if missing; a folder pioneer makes is its operator's alone.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
}

/// Creates (or truncates) `path` readable and writable by its owner only.
pub fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let f = o.open(path)?;
    tighten(path)?; // a file that existed keeps its mode on open
    Ok(f)
}

/// Writes `bytes` to `path`, readable and writable by its owner only.
pub fn write_private(path: &Path, bytes: impl AsRef<[u8]>) -> std::io::Result<()> {
    create_private(path)?.write_all(bytes.as_ref())
}

/// Makes an existing file readable and writable by its owner only (nothing if missing).
pub fn tighten(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::metadata(path) {
            Ok(m) if m.permissions().mode() & 0o077 != 0 => {
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            }
            Ok(_) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// A SQLite database and the files beside it (`-wal`, `-shm`), made owner-only.
pub fn tighten_sqlite(db: &Path) -> std::io::Result<()> {
    tighten(db)?;
    for suffix in ["-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        tighten(Path::new(&p))?;
    }
    Ok(())
}
