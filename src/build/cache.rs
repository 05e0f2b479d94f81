//! The layer cache key: a SHA-256 over the parent layer or image id, the
//! instruction text after substitution, and the checksums of the files the
//! instruction copies. Pure: the caller hashes the files.

use sha2::{Digest, Sha256};

/// A file an instruction copies into the image, and its content checksum
/// (as the caller computes it, e.g. `sha256:...` of the file's bytes and
/// metadata).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CopiedFile {
    /// Path relative to the context (or source stage) root.
    pub path: String,
    pub checksum: String,
}

/// The cache key of a step, `sha256:<hex>`.
///
/// Each field is length-prefixed so that no two different inputs give the
/// same byte stream. The files are sorted by path first, so the order the
/// caller walked them in does not matter; a renamed file changes the key.
pub fn cache_key(parent: &str, instruction: &str, files: &[CopiedFile]) -> String {
    let mut hasher = Sha256::new();
    let mut field = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    field(b"rctl-build-cache-v1");
    field(parent.as_bytes());
    field(instruction.as_bytes());
    let mut sorted: Vec<&CopiedFile> = files.iter().collect();
    sorted.sort();
    field(&(sorted.len() as u64).to_le_bytes());
    for f in sorted {
        field(f.path.as_bytes());
        field(f.checksum.as_bytes());
    }
    let digest = hasher.finalize();
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for b in digest.iter() {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, sum: &str) -> CopiedFile {
        CopiedFile {
            path: path.into(),
            checksum: sum.into(),
        }
    }

    #[test]
    fn stable_and_well_formed() {
        let k = cache_key("sha256:parent", "RUN make", &[]);
        assert_eq!(k, cache_key("sha256:parent", "RUN make", &[]));
        assert!(k.starts_with("sha256:"));
        assert_eq!(k.len(), 7 + 64);
        assert!(k[7..].chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn every_input_changes_the_key() {
        let files = [file("a", "1"), file("b", "2")];
        let base = cache_key("p", "COPY . /", &files);
        let variants = [
            cache_key("q", "COPY . /", &files),
            cache_key("p", "COPY . /x", &files),
            cache_key("p", "COPY . /", &[file("a", "1"), file("b", "3")]),
            cache_key("p", "COPY . /", &[file("a", "1"), file("c", "2")]),
            cache_key("p", "COPY . /", &[file("a", "1")]),
            cache_key("p", "COPY . /", &[]),
        ];
        for v in variants {
            assert_ne!(v, base);
        }
    }

    #[test]
    fn file_order_does_not_matter() {
        let a = cache_key("p", "i", &[file("a", "1"), file("b", "2")]);
        let b = cache_key("p", "i", &[file("b", "2"), file("a", "1")]);
        assert_eq!(a, b);
    }

    #[test]
    fn fields_do_not_run_together() {
        assert_ne!(cache_key("ab", "c", &[]), cache_key("a", "bc", &[]));
        assert_ne!(
            cache_key("p", "i", &[file("ab", "c")]),
            cache_key("p", "i", &[file("a", "bc")])
        );
    }
}
