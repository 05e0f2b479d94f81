//! A log file that rotates: once the next record would take it past
//! `max-size`, `ctr.log` becomes `ctr.log.1` (`.1` becomes `.2`, …) and
//! a new file starts; `max-file` files are kept in all, the oldest
//! dropped. With one file the log is truncated instead. Records are never
//! split across files, so each file parses on its own.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

/// The `n`th rotated file of `path` (`n` ≥ 1).
pub fn rotated(path: &Path, n: u32) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(format!(".{n}"));
    PathBuf::from(s)
}

/// The files of a log, oldest first, as rotation names them (whether or
/// not they exist).
pub fn files_oldest_first(path: &Path, max_file: u32) -> Vec<PathBuf> {
    (1..max_file.max(1))
        .rev()
        .map(|n| rotated(path, n))
        .chain([path.to_path_buf()])
        .collect()
}

pub struct RotatingFile {
    path: PathBuf,
    file: std::fs::File,
    /// Bytes in the file, and records not yet written.
    size: u64,
    pending: Vec<u8>,
    max_size: Option<u64>,
    max_file: u32,
}

fn open_append(path: &Path) -> Result<std::fs::File> {
    Ok(fs_err::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?
        .into_parts()
        .0)
}

impl RotatingFile {
    pub fn open(path: &Path, max_size: Option<u64>, max_file: u32) -> Result<RotatingFile> {
        let file = open_append(path)?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        Ok(RotatingFile {
            path: path.to_path_buf(),
            file,
            size,
            pending: Vec::new(),
            max_size,
            max_file: max_file.max(1),
        })
    }

    /// Queue one record (written by [`RotatingFile::sync`]).
    pub fn write(&mut self, record: &[u8]) {
        let used = self.size + self.pending.len() as u64;
        if self
            .max_size
            .is_some_and(|max| used > 0 && used + record.len() as u64 > max)
        {
            self.sync();
            if let Err(e) = self.rotate() {
                ::log::warn!("rotate the log `{}`: {e:#}", self.path.display());
            }
        }
        self.pending.extend_from_slice(record);
    }

    /// Write the queued records.
    pub fn sync(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        if self.file.write_all(&self.pending).is_ok() {
            self.size += self.pending.len() as u64;
        }
        self.pending.clear();
    }

    fn rotate(&mut self) -> Result<()> {
        if self.max_file <= 1 {
            self.file.set_len(0)?;
            self.size = 0;
            return Ok(());
        }
        for n in (1..self.max_file - 1).rev() {
            match fs_err::rename(rotated(&self.path, n), rotated(&self.path, n + 1)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
                _ => {}
            }
        }
        fs_err::rename(&self.path, rotated(&self.path, 1))?;
        self.file = open_append(&self.path)?;
        self.size = 0;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("rctl-rotate-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn keeps_max_file_files_of_at_most_max_size() {
        let dir = scratch("keep");
        let path = dir.join("ctr.log");
        let mut f = RotatingFile::open(&path, Some(100), 3).unwrap();
        for i in 0..100 {
            f.write(format!("record {i:03}\n").as_bytes());
            if i % 7 == 0 {
                f.sync();
            }
        }
        f.sync();
        let files = files_oldest_first(&path, 3);
        let mut all = String::new();
        for p in &files {
            let text = std::fs::read_to_string(p).unwrap();
            assert!(
                text.len() <= 100,
                "{} has {} bytes",
                p.display(),
                text.len()
            );
            all.push_str(&text);
        }
        assert!(!rotated(&path, 3).exists());
        // The newest records survive, in order, none split.
        assert!(all.ends_with("record 099\n"));
        let nums: Vec<u32> = all
            .lines()
            .map(|l| l.strip_prefix("record ").unwrap().parse().unwrap())
            .collect();
        assert!(nums.windows(2).all(|w| w[1] == w[0] + 1));
        assert!(nums.len() > 10);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn one_file_truncates() {
        let dir = scratch("trunc");
        let path = dir.join("ctr.log");
        let mut f = RotatingFile::open(&path, Some(30), 1).unwrap();
        for i in 0..10 {
            f.write(format!("line {i}\n").as_bytes());
            f.sync();
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "line 8\nline 9\n");
        assert!(!rotated(&path, 1).exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
