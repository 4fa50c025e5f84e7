//! One way to talk to either database the store runs on: SQLite (embedded, the default) or
//! PostgreSQL (a server many hosts share). Statements are written once, with `$1`-style
//! parameters (SQLite reads them as `?1`); values cross as `Param` and come back as rows of
//! `Value`, so the store's code is the same for both and only a few statements differ
//! (`Dialect`).
//!
//! Connections come from a pool (r2d2): handlers and workers run statements side by side,
//! each on a connection of its own, and a connection the server ended (a restart,
//! `pg_terminate_backend`) is found broken when it is next checked out and replaced. Every
//! call blocks, so it leaves the async runtime's thread first (`run_blocking`). An error
//! names the statement (or step) that met it and carries the server's own message.

use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{op}: {}", sqlite_message(source))]
    Sqlite { op: String, source: rusqlite::Error },
    #[error("{op}: {}", chain(source))]
    Postgres { op: String, source: postgres::Error },
    /// No connection could be had in time: the pool's last connection error.
    #[error("no connection to the database within {} s: {}", CHECKOUT.as_secs(), .0.as_deref().unwrap_or("every connection is in use"))]
    Pool(Option<String>),
    #[error("column {0}: not the type asked for")]
    Type(usize),
}

impl DbError {
    fn sqlite(op: &str) -> impl FnOnce(rusqlite::Error) -> DbError + '_ {
        move |source| DbError::Sqlite {
            op: op.to_string(),
            source,
        }
    }

    fn postgres(op: &str) -> impl FnOnce(postgres::Error) -> DbError + '_ {
        move |source| DbError::Postgres {
            op: op.to_string(),
            source,
        }
    }

    /// A UNIQUE (or other) constraint refused the write.
    pub fn is_constraint(&self) -> bool {
        match self {
            DbError::Sqlite {
                source: rusqlite::Error::SqliteFailure(e, _),
                ..
            } => e.code == rusqlite::ErrorCode::ConstraintViolation,
            DbError::Postgres { source, .. } => {
                source.code().is_some_and(|c| c.code().starts_with("23"))
            }
            _ => false,
        }
    }

    /// The database could not be reached (as opposed to refusing a statement): the caller
    /// may try again once it is back.
    pub fn is_connection(&self) -> bool {
        match self {
            DbError::Pool(_) => true,
            // Not an answer of the server's (the connection broke), or class 08 (connection
            // exceptions) and 57P (the server shut the backend down, or is starting).
            DbError::Postgres { source, .. } => source.as_db_error().is_none_or(|db| {
                let code = db.code().code();
                code.starts_with("08") || code.starts_with("57P")
            }),
            DbError::Sqlite { .. } | DbError::Type(_) => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A value bound to a statement.
#[derive(Debug, Clone, Copy)]
pub enum Param<'a> {
    Int(i64),
    Text(&'a str),
    Null,
}

impl<'a> From<i64> for Param<'a> {
    fn from(v: i64) -> Param<'a> {
        Param::Int(v)
    }
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(v: &'a str) -> Param<'a> {
        Param::Text(v)
    }
}

impl<'a> From<Option<&'a str>> for Param<'a> {
    fn from(v: Option<&'a str>) -> Param<'a> {
        v.map_or(Param::Null, Param::Text)
    }
}

impl<'a> From<Option<i64>> for Param<'a> {
    fn from(v: Option<i64>) -> Param<'a> {
        v.map_or(Param::Null, Param::Int)
    }
}

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            Param::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Param::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Param::Null => ToSqlOutput::Borrowed(ValueRef::Null),
        })
    }
}

impl postgres::types::ToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Param::Int(i) => i.to_sql(ty, out),
            Param::Text(s) => s.to_sql(ty, out),
            Param::Null => Ok(postgres::types::IsNull::Yes),
        }
    }

    fn accepts(ty: &postgres::types::Type) -> bool {
        <i64 as postgres::types::ToSql>::accepts(ty)
            || <&str as postgres::types::ToSql>::accepts(ty)
    }

    postgres::types::to_sql_checked!();
}

/// A value read back.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
}

/// One row of a result.
#[derive(Debug, Clone)]
pub struct Row(Vec<Value>);

impl Row {
    pub fn int(&self, i: usize) -> Result<i64, DbError> {
        match self.0.get(i) {
            Some(Value::Int(v)) => Ok(*v),
            _ => Err(DbError::Type(i)),
        }
    }

    pub fn opt_int(&self, i: usize) -> Result<Option<i64>, DbError> {
        match self.0.get(i) {
            Some(Value::Null) => Ok(None),
            _ => self.int(i).map(Some),
        }
    }

    pub fn text(&self, i: usize) -> Result<String, DbError> {
        match self.0.get(i) {
            Some(Value::Text(v)) => Ok(v.clone()),
            _ => Err(DbError::Type(i)),
        }
    }

    pub fn opt_text(&self, i: usize) -> Result<Option<String>, DbError> {
        match self.0.get(i) {
            Some(Value::Null) => Ok(None),
            _ => self.text(i).map(Some),
        }
    }
}

/// Statements on a connection or inside a transaction.
pub trait Conn {
    fn dialect(&self) -> Dialect;
    /// Runs a statement; returns the rows it changed.
    fn exec(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, DbError>;
    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, DbError>;
    /// Runs a script of statements without parameters (a migration).
    fn batch(&mut self, sql: &str) -> Result<(), DbError>;

    fn query_one(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Option<Row>, DbError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }
}

/// A statement as an error names it: its first words, on one line.
fn statement(sql: &str) -> String {
    let words: Vec<&str> = sql.split_whitespace().collect();
    let mut head = words.join(" ");
    if head.len() > 72 {
        let mut cut = 72;
        while !head.is_char_boundary(cut) {
            cut -= 1;
        }
        head.truncate(cut);
        head.push_str(" ...");
    }
    format!("`{head}`")
}

/// SQLite's message, with its extended code when it has one.
fn sqlite_message(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(code, Some(message)) => {
            format!("{message} ({:?}, code {})", code.code, code.extended_code)
        }
        other => other.to_string(),
    }
}

/// An error and every cause under it: the `postgres` crate's own text is only "db error"
/// or "error connecting to server", and the server's message is the cause.
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string().replace('\n', "; "));
        cause = c.source();
    }
    if let Some(db) = e
        .downcast_ref::<postgres::Error>()
        .and_then(postgres::Error::as_db_error)
    {
        text = format!("{text} (SQLSTATE {})", db.code().code());
    }
    text
}

/// `$1` to `?1` (SQLite's numbered parameter); a `$` not before a digit stays (JSON paths).
fn sqlite_sql(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

struct Sqlite<'a>(&'a rusqlite::Connection);

impl Conn for Sqlite<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn exec(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, DbError> {
        let op = statement(sql);
        let err = |e| DbError::sqlite(&op)(e);
        let params: Vec<&dyn rusqlite::ToSql> = params.iter().map(|p| p as _).collect();
        let mut statement = self.0.prepare_cached(&sqlite_sql(sql)).map_err(err)?;
        if statement.readonly() || statement.column_count() > 0 {
            // A statement that returns rows (`RETURNING`) is run as a query.
            let mut rows = statement.query(params.as_slice()).map_err(err)?;
            let mut n = 0;
            while rows.next().map_err(err)?.is_some() {
                n += 1;
            }
            return Ok(n);
        }
        Ok(statement.execute(params.as_slice()).map_err(err)? as u64)
    }

    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, DbError> {
        use rusqlite::types::ValueRef;
        let op = statement(sql);
        let err = |e| DbError::sqlite(&op)(e);
        let params: Vec<&dyn rusqlite::ToSql> = params.iter().map(|p| p as _).collect();
        let mut statement = self.0.prepare_cached(&sqlite_sql(sql)).map_err(err)?;
        let width = statement.column_count();
        let mut rows = statement.query(params.as_slice()).map_err(err)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(err)? {
            let mut values = Vec::with_capacity(width);
            for i in 0..width {
                values.push(match row.get_ref(i).map_err(err)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(v) => Value::Int(v),
                    ValueRef::Real(v) => Value::Int(v as i64),
                    ValueRef::Text(t) | ValueRef::Blob(t) => {
                        Value::Text(String::from_utf8_lossy(t).into_owned())
                    }
                });
            }
            out.push(Row(values));
        }
        Ok(out)
    }

    fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        self.0
            .execute_batch(sql)
            .map_err(DbError::sqlite(&statement(sql)))
    }
}

struct Postgres<'a, C: postgres::GenericClient>(&'a mut C);

impl<C: postgres::GenericClient> Conn for Postgres<'_, C> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn exec(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, DbError> {
        let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
            params.iter().map(|p| p as _).collect();
        self.0
            .execute(sql, &params)
            .map_err(DbError::postgres(&statement(sql)))
    }

    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, DbError> {
        use postgres::types::Type;
        let op = statement(sql);
        let err = |e| DbError::postgres(&op)(e);
        let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
            params.iter().map(|p| p as _).collect();
        let rows = self.0.query(sql, &params).map_err(err)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let mut values = Vec::with_capacity(row.len());
            for (i, column) in row.columns().iter().enumerate() {
                let ty = column.type_();
                let value = if *ty == Type::INT8 {
                    row.try_get::<_, Option<i64>>(i)
                        .map_err(err)?
                        .map(Value::Int)
                } else if *ty == Type::INT4 {
                    row.try_get::<_, Option<i32>>(i)
                        .map_err(err)?
                        .map(|v| Value::Int(i64::from(v)))
                } else {
                    row.try_get::<_, Option<String>>(i)
                        .map_err(err)?
                        .map(Value::Text)
                };
                values.push(value.unwrap_or(Value::Null));
            }
            out.push(Row(values));
        }
        Ok(out)
    }

    fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        self.0
            .batch_execute(sql)
            .map_err(DbError::postgres(&statement(sql)))
    }
}

/// How long a caller waits for a pooled connection (or for one to be made) before its
/// statement fails: long enough for a burst, short enough that a worker cut off from the
/// database keeps judging and tries again.
pub const CHECKOUT: Duration = Duration::from_secs(5);

/// A connection that could not be made, or one found broken on check-out; its text names
/// every cause (the pool keeps only the text).
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error(transparent)]
    Sqlite(#[from] DbError),
    #[error("{}", chain(.0))]
    Postgres(#[source] postgres::Error),
}

/// Opens SQLite connections to one file, each set up alike.
#[derive(Debug)]
struct SqliteManager(PathBuf);

impl r2d2::ManageConnection for SqliteManager {
    type Connection = rusqlite::Connection;
    type Error = ConnectError;

    fn connect(&self) -> Result<rusqlite::Connection, ConnectError> {
        Ok(open_sqlite(&self.0)?)
    }

    fn is_valid(&self, _: &mut rusqlite::Connection) -> Result<(), ConnectError> {
        Ok(())
    }

    fn has_broken(&self, _: &mut rusqlite::Connection) -> bool {
        false
    }
}

/// One SQLite connection to `path`, as every connection of the store is set up.
pub fn open_sqlite(path: &std::path::Path) -> Result<rusqlite::Connection, DbError> {
    let op = format!("open {}", path.display());
    let err = |e| DbError::sqlite(&op)(e);
    let db = rusqlite::Connection::open(path).map_err(err)?;
    db.pragma_update(None, "journal_mode", "WAL").map_err(err)?;
    // WAL with synchronous=FULL: a commit is on disk before the client is answered.
    db.pragma_update(None, "synchronous", "FULL").map_err(err)?;
    db.pragma_update(None, "foreign_keys", "ON").map_err(err)?;
    db.busy_timeout(Duration::from_secs(10)).map_err(err)?;
    Ok(db)
}

/// Opens PostgreSQL connections with one configuration.
struct PostgresManager(postgres::Config);

impl std::fmt::Debug for PostgresManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PostgresManager")
    }
}

impl r2d2::ManageConnection for PostgresManager {
    type Connection = postgres::Client;
    type Error = ConnectError;

    fn connect(&self) -> Result<postgres::Client, ConnectError> {
        self.0
            .connect(postgres::NoTls)
            .map_err(ConnectError::Postgres)
    }

    /// One round trip on check-out: a backend the server ended since is found here, not by
    /// the caller's statement.
    fn is_valid(&self, client: &mut postgres::Client) -> Result<(), ConnectError> {
        client
            .simple_query("")
            .map(|_| ())
            .map_err(ConnectError::Postgres)
    }

    fn has_broken(&self, client: &mut postgres::Client) -> bool {
        client.is_closed()
    }
}

/// The pool's connection errors, in the service's log (each is also in the error of the
/// caller that waited in vain).
#[derive(Debug)]
struct LogErrors;

impl r2d2::HandleError<ConnectError> for LogErrors {
    fn handle_error(&self, error: ConnectError) {
        tracing::warn!(error = %error, "cannot connect to the database");
    }
}

enum Pool {
    Sqlite(r2d2::Pool<SqliteManager>),
    Postgres(r2d2::Pool<PostgresManager>),
}

/// The store's connections.
pub struct Db {
    /// `None` only while it is dropped (`Drop for Db`).
    pool: Option<Pool>,
}

impl Db {
    /// A pool of up to `size` connections to the SQLite file at `path` (set up by
    /// `open_sqlite`).
    pub fn sqlite(path: PathBuf, size: u32) -> Db {
        let pool = r2d2::Pool::builder()
            .max_size(size.max(1))
            .min_idle(Some(1))
            .connection_timeout(CHECKOUT)
            .error_handler(Box::new(LogErrors))
            .build_unchecked(SqliteManager(path));
        Db {
            pool: Some(Pool::Sqlite(pool)),
        }
    }

    /// A pool of up to `size` connections with `config`; connections are made as they are
    /// needed (the caller has proved with one of its own that the server answers).
    pub fn postgres(config: postgres::Config, size: u32) -> Db {
        let pool = r2d2::Pool::builder()
            .max_size(size.max(1))
            .min_idle(Some(1))
            .connection_timeout(CHECKOUT)
            .idle_timeout(Some(Duration::from_mins(5)))
            .error_handler(Box::new(LogErrors))
            .build_unchecked(PostgresManager(config));
        Db {
            pool: Some(Pool::Postgres(pool)),
        }
    }

    fn pool(&self) -> &Pool {
        self.pool.as_ref().expect("only taken in drop")
    }

    pub fn dialect(&self) -> Dialect {
        match self.pool() {
            Pool::Sqlite(_) => Dialect::Sqlite,
            Pool::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Connections open now, and how many of them are idle.
    pub fn connections(&self) -> (u32, u32) {
        let state = match self.pool() {
            Pool::Sqlite(p) => p.state(),
            Pool::Postgres(p) => p.state(),
        };
        (state.connections, state.idle_connections)
    }

    /// Runs `f` with statements outside a transaction.
    pub fn with<T: Send>(
        &self,
        f: impl FnOnce(&mut dyn Conn) -> Result<T, DbError> + Send,
    ) -> Result<T, DbError> {
        run_blocking(|| match self.pool() {
            Pool::Sqlite(p) => {
                let c = p.get().map_err(pool_error)?;
                f(&mut Sqlite(&c))
            }
            Pool::Postgres(p) => {
                let mut c = p.get().map_err(pool_error)?;
                f(&mut Postgres(&mut *c))
            }
        })
    }

    /// Runs `f` in one transaction, committed when it returns `Ok`.
    pub fn tx<T: Send>(
        &self,
        f: impl FnOnce(&mut dyn Conn) -> Result<T, DbError> + Send,
    ) -> Result<T, DbError> {
        run_blocking(|| match self.pool() {
            Pool::Sqlite(p) => {
                let mut c = p.get().map_err(pool_error)?;
                // IMMEDIATE: the write lock is taken at the start, so two writers never
                // both read, then collide.
                let tx = c
                    .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                    .map_err(DbError::sqlite("begin a transaction"))?;
                let value = f(&mut Sqlite(&tx))?;
                tx.commit().map_err(DbError::sqlite("commit"))?;
                Ok(value)
            }
            Pool::Postgres(p) => {
                let mut c = p.get().map_err(pool_error)?;
                let mut tx = c
                    .transaction()
                    .map_err(DbError::postgres("begin a transaction"))?;
                let value = f(&mut Postgres(&mut tx))?;
                tx.commit().map_err(DbError::postgres("commit"))?;
                Ok(value)
            }
        })
    }
}

#[expect(clippy::needless_pass_by_value, reason = "a map_err callback")]
fn pool_error(e: r2d2::Error) -> DbError {
    // r2d2 says "timed out waiting for connection" and, after a colon, the last
    // connection error, if any.
    let text = e.to_string();
    DbError::Pool(text.split_once(": ").map(|(_, last)| last.to_string()))
}

impl Drop for Db {
    /// A PostgreSQL client closes by blocking on a runtime of its own, which tokio forbids
    /// on a runtime's thread (where the service drops its store): the pool is dropped on a
    /// thread of its own.
    fn drop(&mut self) {
        if let Some(Pool::Postgres(pool)) = self.pool.take() {
            std::thread::scope(|scope| {
                scope.spawn(move || drop(pool));
            });
        }
    }
}

/// Runs blocking database work from wherever the caller is: on a thread of the service's
/// multi-threaded runtime, that thread first hands its other tasks to another one
/// (`block_in_place`), and the `postgres` client may run its own runtime there; on a
/// current-thread runtime (which cannot hand over), on a thread of its own; elsewhere,
/// here.
pub fn run_blocking<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::CurrentThread => {
            std::thread::scope(|scope| {
                scope
                    .spawn(f)
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
        }
        Ok(_) => tokio::task::block_in_place(f),
        Err(_) => f(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_parameters_become_sqlites_and_json_paths_stay() {
        assert_eq!(
            sqlite_sql("SELECT json_extract(r, '$.verdict') WHERE a = $1 AND b = $12"),
            "SELECT json_extract(r, '$.verdict') WHERE a = ?1 AND b = ?12"
        );
    }

    #[test]
    fn an_error_names_its_statement_and_carries_sqlites_message() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::sqlite(dir.path().join("t.db"), 2);
        let e = db
            .with(|c| c.exec("UPDATE no_such_table SET x = 1", &[]))
            .unwrap_err();
        let text = e.to_string();
        assert!(
            text.starts_with("`UPDATE no_such_table SET x = 1`: no such table: no_such_table"),
            "{text}"
        );
        assert!(!e.is_connection() && !e.is_constraint());
    }

    #[test]
    fn a_long_statement_is_named_by_its_first_words() {
        let long = format!("SELECT {}\n  FROM t", "a, ".repeat(40));
        let named = statement(&long);
        assert!(
            named.starts_with("`SELECT a, a,") && named.ends_with(" ...`"),
            "{named}"
        );
    }

    #[test]
    fn statements_run_side_by_side_on_pooled_connections() {
        let dir = tempfile::tempdir().unwrap();
        let db = std::sync::Arc::new(Db::sqlite(dir.path().join("t.db"), 4));
        db.with(|c| c.batch("CREATE TABLE t (x INTEGER)")).unwrap();
        // Two readers at once: the second would wait forever on a single shared connection.
        let (held, release) = std::sync::mpsc::sync_channel::<()>(1);
        let (started, wait_started) = std::sync::mpsc::sync_channel::<()>(1);
        let release = std::sync::Mutex::new(release);
        let holder = {
            let db = db.clone();
            std::thread::spawn(move || {
                db.with(|c| {
                    c.query("SELECT x FROM t", &[])?;
                    started.send(()).unwrap();
                    release.lock().unwrap().recv().unwrap();
                    Ok(())
                })
            })
        };
        wait_started.recv().unwrap();
        let n = db.with(|c| c.query("SELECT COUNT(*) FROM t", &[])).unwrap();
        assert_eq!(n[0].int(0).unwrap(), 0);
        held.send(()).unwrap();
        holder.join().unwrap().unwrap();
        assert!(db.connections().0 >= 2);
    }
}
