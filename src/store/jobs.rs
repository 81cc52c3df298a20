//! Remote batch jobs (`qwen batch --remote`): what was uploaded, which batches run it, and
//! which item each line belongs to. Written before and after every server call, so a crash
//! at any point can be resumed without uploading or submitting anything twice.

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{Store, now_ms};

/// A remote job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteJob {
    /// `job-…`.
    pub id: String,
    /// When it was created (Unix ms).
    pub created_ms: i64,
    /// A hash of every item's identity: the same inputs find the same job.
    pub fingerprint: String,
    /// The compat base URL it was submitted to.
    pub base_url: String,
    /// The completion window.
    pub window: String,
    /// `-o` of the submitting run.
    pub output: Option<String>,
    /// `--out-dir` of the submitting run.
    pub out_dir: Option<String>,
    /// `--ext` of the submitting run.
    pub ext: Option<String>,
    /// Items sent.
    pub items: u64,
    /// `submitting`, `submitted`, `fetched` or `cancelled`.
    pub state: String,
}

/// One uploaded file and its batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobPart {
    /// 0-based part number.
    pub part: u32,
    /// The name it is uploaded under.
    pub file_name: String,
    /// Lines in it.
    pub lines: u64,
    /// The uploaded file, once uploaded.
    pub file_id: Option<String>,
    /// Its batch, once created.
    pub batch_id: Option<String>,
    /// The batch's last seen status.
    pub status: Option<String>,
    /// An upload was started (its answer may have been lost if `file_id` is unset).
    pub upload_started: bool,
    /// A batch creation was started (its answer may have been lost if `batch_id` is unset).
    pub create_started: bool,
}

/// One line of a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobItem {
    /// The line's `custom_id`.
    pub custom_id: String,
    /// The part it is in.
    pub part: u32,
    /// The item id (path, `custom_id`/`id`, or `line N`).
    pub item_id: String,
    /// The file, for file items.
    pub path: Option<String>,
    /// The item's identity key.
    pub key: String,
    /// The model it asks for.
    pub model: String,
}

fn job_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<RemoteJob> {
    Ok(RemoteJob {
        id: r.get(0)?,
        created_ms: r.get(1)?,
        fingerprint: r.get(2)?,
        base_url: r.get(3)?,
        window: r.get(4)?,
        output: r.get(5)?,
        out_dir: r.get(6)?,
        ext: r.get(7)?,
        items: r.get::<_, i64>(8)? as u64,
        state: r.get(9)?,
    })
}

const JOB_COLUMNS: &str =
    "id, created_ms, fingerprint, base_url, window, output, out_dir, ext, items, state";

impl Store {
    /// Records a new job with its parts and items, in one transaction.
    pub fn create_job(
        &mut self,
        job: &RemoteJob,
        parts: &[JobPart],
        items: &[JobItem],
    ) -> anyhow::Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            &format!("INSERT INTO remote_jobs ({JOB_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
            params![
                job.id,
                now_ms(),
                job.fingerprint,
                job.base_url,
                job.window,
                job.output,
                job.out_dir,
                job.ext,
                job.items as i64,
                job.state
            ],
        )?;
        {
            let mut stmt = tx.prepare(
                "INSERT INTO remote_parts (job_id, part, file_name, lines) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for p in parts {
                stmt.execute(params![job.id, p.part, p.file_name, p.lines as i64])?;
            }
            let mut stmt = tx.prepare(
                "INSERT INTO remote_items (job_id, custom_id, part, item_id, path, key, model)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for i in items {
                stmt.execute(params![
                    job.id,
                    i.custom_id,
                    i.part,
                    i.item_id,
                    i.path,
                    i.key,
                    i.model
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Returns a job by id.
    pub fn job(&self, id: &str) -> anyhow::Result<Option<RemoteJob>> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM remote_jobs WHERE id = ?1");
        Ok(self.conn.query_row(&sql, [id], job_from).optional()?)
    }

    /// Returns the newest unfinished job with these inputs, to reattach to.
    pub fn open_job_by_fingerprint(&self, fingerprint: &str) -> anyhow::Result<Option<RemoteJob>> {
        let sql = format!(
            "SELECT {JOB_COLUMNS} FROM remote_jobs
             WHERE fingerprint = ?1 AND state IN ('submitting', 'submitted')
             ORDER BY created_ms DESC LIMIT 1"
        );
        Ok(self
            .conn
            .query_row(&sql, [fingerprint], job_from)
            .optional()?)
    }

    /// Lists jobs, newest first.
    pub fn jobs(&self, limit: usize) -> anyhow::Result<Vec<RemoteJob>> {
        let sql = format!(
            "SELECT {JOB_COLUMNS} FROM remote_jobs ORDER BY created_ms DESC, id DESC LIMIT ?1"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([limit as i64], job_from)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Returns a job's parts, in order.
    pub fn job_parts(&self, job: &str) -> anyhow::Result<Vec<JobPart>> {
        let mut stmt = self.conn.prepare(
            "SELECT part, file_name, lines, file_id, batch_id, status,
                    upload_started_ms IS NOT NULL, create_started_ms IS NOT NULL
             FROM remote_parts WHERE job_id = ?1 ORDER BY part",
        )?;
        let rows = stmt.query_map([job], |r| {
            Ok(JobPart {
                part: r.get(0)?,
                file_name: r.get(1)?,
                lines: r.get::<_, i64>(2)? as u64,
                file_id: r.get(3)?,
                batch_id: r.get(4)?,
                status: r.get(5)?,
                upload_started: r.get(6)?,
                create_started: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Returns a job's items.
    pub fn job_items(&self, job: &str) -> anyhow::Result<Vec<JobItem>> {
        let mut stmt = self.conn.prepare(
            "SELECT custom_id, part, item_id, path, key, model FROM remote_items
             WHERE job_id = ?1 ORDER BY part, rowid",
        )?;
        let rows = stmt.query_map([job], |r| {
            Ok(JobItem {
                custom_id: r.get(0)?,
                part: r.get(1)?,
                item_id: r.get(2)?,
                path: r.get(3)?,
                key: r.get(4)?,
                model: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records that a part's upload is about to be sent, before it is.
    pub fn set_upload_started(&mut self, job: &str, part: u32) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE remote_parts SET upload_started_ms = ?3 WHERE job_id = ?1 AND part = ?2",
            params![job, part, now_ms()],
        )?;
        Ok(())
    }

    /// Records that a part's batch is about to be created, before it is.
    pub fn set_create_started(&mut self, job: &str, part: u32) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE remote_parts SET create_started_ms = ?3 WHERE job_id = ?1 AND part = ?2",
            params![job, part, now_ms()],
        )?;
        Ok(())
    }

    /// Records a part's uploaded file.
    pub fn set_part_file(&mut self, job: &str, part: u32, file_id: &str) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE remote_parts SET file_id = ?3 WHERE job_id = ?1 AND part = ?2",
            params![job, part, file_id],
        )?;
        Ok(())
    }

    /// Records a part's batch and its status.
    pub fn set_part_batch(
        &mut self,
        job: &str,
        part: u32,
        batch_id: &str,
        status: &str,
    ) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE remote_parts SET batch_id = ?3, status = ?4 WHERE job_id = ?1 AND part = ?2",
            params![job, part, batch_id, status],
        )?;
        Ok(())
    }

    /// Records a job's state.
    pub fn set_job_state(&mut self, job: &str, state: &str) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE remote_jobs SET state = ?2 WHERE id = ?1",
            params![job, state],
        )?;
        Ok(())
    }
}
