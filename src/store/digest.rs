//! Content digests (`sha256:<64 hex>`, nothing else) and a reader that
//! hashes what passes through it.

use std::fmt;
use std::io::{self, Read};

use sha2::{Digest as _, Sha256};

/// A validated `sha256:` digest.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest(String);

/// A digest string that is not `sha256:` followed by 64 lowercase hex digits.
#[derive(Debug, thiserror::Error)]
#[error("malformed digest `{0}` (expected sha256: and 64 lowercase hex digits)")]
pub struct MalformedDigest(pub String);

impl Digest {
    /// Parse strictly: algorithm `sha256`, exactly 64 lowercase hex digits.
    pub fn parse(s: &str) -> Result<Digest, MalformedDigest> {
        let ok = s.strip_prefix("sha256:").is_some_and(|h| {
            h.len() == 64
                && h.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        });
        if ok {
            Ok(Digest(s.to_string()))
        } else {
            Err(MalformedDigest(s.to_string()))
        }
    }

    /// The digest of `data`.
    pub fn of(data: &[u8]) -> Digest {
        Digest(format!("sha256:{}", hex::encode(Sha256::digest(data))))
    }

    /// The 64 hex digits.
    pub fn hex(&self) -> &str {
        &self.0[7..]
    }

    /// The full `sha256:...` text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first 12 hex digits, as shown in tables.
    pub fn short(&self) -> &str {
        &self.0[7..19]
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Wraps a reader, hashing and counting every byte read through it.
pub struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    count: u64,
}

impl<R: Read> HashingReader<R> {
    pub fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: Sha256::new(),
            count: 0,
        }
    }

    /// Read the rest of the stream (so the digest covers all of it) and
    /// return the digest and the byte count.
    pub fn finish(self) -> io::Result<(Digest, u64)> {
        self.finish_into_inner().map(|(d, n, _)| (d, n))
    }

    /// As [`HashingReader::finish`], also giving the inner reader back.
    pub fn finish_into_inner(mut self) -> io::Result<(Digest, u64, R)> {
        io::copy(&mut self, &mut io::sink())?;
        let d = Digest(format!("sha256:{}", hex::encode(self.hasher.finalize())));
        Ok((d, self.count, self.inner))
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.count += n as u64;
        Ok(n)
    }
}

/// Wraps a reader, copying every byte read through it to a writer.
pub struct TeeReader<R, W> {
    inner: R,
    copy: W,
}

impl<R: Read, W: io::Write> TeeReader<R, W> {
    pub fn new(inner: R, copy: W) -> Self {
        TeeReader { inner, copy }
    }

    /// The writer, to flush or sync.
    pub fn into_writer(self) -> W {
        self.copy
    }
}

impl<R: Read, W: io::Write> Read for TeeReader<R, W> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.copy.write_all(&buf[..n])?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_checked_strictly() {
        let good = format!("sha256:{}", "a".repeat(64));
        assert!(Digest::parse(&good).is_ok());
        for bad in [
            "sha256:abc".to_string(),
            format!("sha256:{}", "A".repeat(64)),
            format!("sha512:{}", "a".repeat(64)),
            format!("sha256:{}x", "a".repeat(63)),
            format!("sha256:{}/../x", "a".repeat(64)),
            "a".repeat(64),
        ] {
            assert!(Digest::parse(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hashing_reader_covers_the_whole_stream() {
        let data = b"hello world";
        let mut r = HashingReader::new(&data[..]);
        let mut first = [0u8; 5];
        r.read_exact(&mut first).unwrap();
        let (d, n) = r.finish().unwrap();
        assert_eq!(d, Digest::of(data));
        assert_eq!(n, 11);
    }
}
