//! The metadata database: SQLite in WAL mode, one file per store, written
//! only inside `BEGIN IMMEDIATE` transactions so that many rctl processes of
//! one user can work at once and a crash never leaves half a record.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS blobs (
    digest TEXT PRIMARY KEY,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS layers (
    diff_id TEXT PRIMARY KEY,
    link TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS images (
    id TEXT PRIMARY KEY,
    manifest_digest TEXT NOT NULL,
    config_digest TEXT NOT NULL,
    size INTEGER NOT NULL,
    created TEXT,
    added INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS image_layers (
    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    diff_id TEXT NOT NULL,
    PRIMARY KEY (image_id, position)
);
CREATE INDEX IF NOT EXISTS image_layers_diff ON image_layers(diff_id);
CREATE TABLE IF NOT EXISTS names (
    name TEXT PRIMARY KEY,
    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS image_users (
    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    container TEXT NOT NULL,
    PRIMARY KEY (image_id, container)
);
";

/// Open (creating) the database at `path`.
pub fn open(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)
        .with_context(|| format!("open image database `{}`", path.display()))?;
    conn.busy_timeout(Duration::from_secs(30))?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .with_context(|| format!("switch `{}` to WAL mode", path.display()))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.execute_batch(SCHEMA)
        .with_context(|| format!("create the tables in `{}`", path.display()))?;
    Ok(conn)
}

/// Run `f` inside a write transaction taken up front (`BEGIN IMMEDIATE`).
pub fn write<T>(
    conn: &mut Connection,
    f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
) -> Result<T> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("begin a transaction on the image database")?;
    let out = f(&tx)?;
    tx.commit()
        .context("commit a transaction on the image database")?;
    Ok(out)
}

/// One image row.
#[derive(Debug, Clone)]
pub struct ImageRow {
    pub id: String,
    pub manifest_digest: String,
    pub config_digest: String,
    pub size: i64,
    pub created: Option<String>,
    pub added: i64,
}

fn image_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ImageRow> {
    Ok(ImageRow {
        id: r.get(0)?,
        manifest_digest: r.get(1)?,
        config_digest: r.get(2)?,
        size: r.get(3)?,
        created: r.get(4)?,
        added: r.get(5)?,
    })
}

const IMAGE_COLUMNS: &str = "id, manifest_digest, config_digest, size, created, added";

pub fn image_by_id(conn: &Connection, id: &str) -> Result<Option<ImageRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {IMAGE_COLUMNS} FROM images WHERE id = ?1"),
            [id],
            image_row,
        )
        .optional()?)
}

/// Image ids starting with `prefix`.
pub fn ids_with_prefix(conn: &Connection, prefix: &str) -> Result<Vec<String>> {
    let mut st = conn.prepare("SELECT id FROM images WHERE substr(id, 1, ?2) = ?1")?;
    let rows = st.query_map(params![prefix, prefix.len() as i64], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn image_by_name(conn: &Connection, name: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT image_id FROM names WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .optional()?)
}

pub fn all_images(conn: &Connection) -> Result<Vec<ImageRow>> {
    let mut st = conn.prepare(&format!(
        "SELECT {IMAGE_COLUMNS} FROM images ORDER BY added DESC"
    ))?;
    let rows = st.query_map([], image_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn names_of(conn: &Connection, id: &str) -> Result<Vec<String>> {
    let mut st = conn.prepare("SELECT name FROM names WHERE image_id = ?1 ORDER BY name")?;
    let rows = st.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The layers of an image, lowest first: (diff_id, link, size).
pub fn layers_of(conn: &Connection, id: &str) -> Result<Vec<(String, String, i64)>> {
    let mut st = conn.prepare(
        "SELECT l.diff_id, l.link, l.size FROM image_layers il JOIN layers l ON l.diff_id = il.diff_id
         WHERE il.image_id = ?1 ORDER BY il.position",
    )?;
    let rows = st.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn users_of(conn: &Connection, id: &str) -> Result<Vec<String>> {
    let mut st = conn.prepare("SELECT container FROM image_users WHERE image_id = ?1")?;
    let rows = st.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn blob(conn: &Connection, digest: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT data FROM blobs WHERE digest = ?1", [digest], |r| {
            r.get(0)
        })
        .optional()?)
}

pub fn layer_exists(conn: &Connection, diff_id: &str) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM layers WHERE diff_id = ?1", [diff_id], |_| {
            Ok(())
        })
        .optional()?
        .is_some())
}

pub fn layer_link(conn: &Connection, diff_id: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT link FROM layers WHERE diff_id = ?1",
            [diff_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// Layers no image refers to any more.
pub fn unreferenced_layers(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut st = conn.prepare(
        "SELECT diff_id, link FROM layers WHERE diff_id NOT IN (SELECT diff_id FROM image_layers)",
    )?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Blobs no image refers to any more.
pub fn delete_unreferenced_blobs(conn: &Connection) -> Result<()> {
    conn.execute(
        "DELETE FROM blobs WHERE digest NOT IN (SELECT manifest_digest FROM images)
         AND digest NOT IN (SELECT config_digest FROM images)",
        [],
    )?;
    Ok(())
}
