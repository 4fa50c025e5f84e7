//! One way to talk to either database the store runs on: SQLite (embedded, the default) or
//! PostgreSQL (a server many hosts share). Statements are written once, with `$1`-style
//! parameters (SQLite reads them as `?1`); values cross as `Param` and come back as rows of
//! `Value`, so the store's code is the same for both and only a few statements differ
//! (`Dialect`).

use std::sync::{Mutex, PoisonError};

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Postgres(#[from] postgres::Error),
    #[error("column {0}: not the type asked for")]
    Type(usize),
}

impl DbError {
    /// A UNIQUE (or other) constraint refused the write.
    pub fn is_constraint(&self) -> bool {
        match self {
            DbError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => {
                e.code == rusqlite::ErrorCode::ConstraintViolation
            }
            DbError::Postgres(e) => e.code().is_some_and(|c| c.code().starts_with("23")),
            _ => false,
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

    fn query_one(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Option<Row>, DbError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }
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
        let params: Vec<&dyn rusqlite::ToSql> = params.iter().map(|p| p as _).collect();
        let mut statement = self.0.prepare_cached(&sqlite_sql(sql))?;
        if statement.readonly() || statement.column_count() > 0 {
            // A statement that returns rows (`RETURNING`) is run as a query.
            let mut rows = statement.query(params.as_slice())?;
            let mut n = 0;
            while rows.next()?.is_some() {
                n += 1;
            }
            return Ok(n);
        }
        Ok(statement.execute(params.as_slice())? as u64)
    }

    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, DbError> {
        use rusqlite::types::ValueRef;
        let params: Vec<&dyn rusqlite::ToSql> = params.iter().map(|p| p as _).collect();
        let mut statement = self.0.prepare_cached(&sqlite_sql(sql))?;
        let width = statement.column_count();
        let mut rows = statement.query(params.as_slice())?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(width);
            for i in 0..width {
                values.push(match row.get_ref(i)? {
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
}

struct Postgres<'a, C: postgres::GenericClient>(&'a mut C);

impl<C: postgres::GenericClient> Conn for Postgres<'_, C> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn exec(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, DbError> {
        let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
            params.iter().map(|p| p as _).collect();
        Ok(self.0.execute(sql, &params)?)
    }

    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, DbError> {
        use postgres::types::Type;
        let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
            params.iter().map(|p| p as _).collect();
        let rows = self.0.query(sql, &params)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let mut values = Vec::with_capacity(row.len());
            for (i, column) in row.columns().iter().enumerate() {
                let ty = column.type_();
                let value = if *ty == Type::INT8 {
                    row.try_get::<_, Option<i64>>(i)?.map(Value::Int)
                } else if *ty == Type::INT4 {
                    row.try_get::<_, Option<i32>>(i)?
                        .map(|v| Value::Int(i64::from(v)))
                } else {
                    row.try_get::<_, Option<String>>(i)?.map(Value::Text)
                };
                values.push(value.unwrap_or(Value::Null));
            }
            out.push(Row(values));
        }
        Ok(out)
    }
}

/// A database connection, used by one caller at a time.
pub enum Db {
    Sqlite(Mutex<rusqlite::Connection>),
    /// A client (`None` only while it is dropped, `Drop for Db`) and how to connect again.
    Postgres(Mutex<Option<postgres::Client>>, Box<postgres::Config>),
}

impl Db {
    pub fn postgres(client: postgres::Client, config: postgres::Config) -> Db {
        Db::Postgres(Mutex::new(Some(client)), Box::new(config))
    }
}

/// The client, connected again first when its connection was lost (the server restarted,
/// the backend was terminated, the network dropped it). The statement that met the loss
/// failed and is not repeated here: whether it took effect is unknown, and the callers'
/// transactions are written so that failing is safe (a lost result is judged again).
fn connected<'a>(
    slot: &'a mut Option<postgres::Client>,
    config: &postgres::Config,
) -> Result<&'a mut postgres::Client, DbError> {
    if slot.as_ref().is_none_or(postgres::Client::is_closed) {
        let old = slot.take();
        let fresh = off_runtime(|| {
            drop(old);
            Ok(config.connect(postgres::NoTls)?)
        })?;
        *slot = Some(fresh);
    }
    Ok(slot.as_mut().expect("connected above"))
}

impl Drop for Db {
    /// Closing the client blocks on its own runtime, which tokio forbids on a runtime's
    /// thread (where the service drops its store): it is closed on a thread of its own.
    fn drop(&mut self) {
        if let Db::Postgres(client, _) = self {
            let client = client
                .get_mut()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            if let Some(client) = client {
                std::thread::scope(|scope| {
                    scope.spawn(move || drop(client));
                });
            }
        }
    }
}

impl Db {
    pub fn dialect(&self) -> Dialect {
        match self {
            Db::Sqlite(_) => Dialect::Sqlite,
            Db::Postgres(..) => Dialect::Postgres,
        }
    }

    /// Runs `f` with statements outside a transaction.
    pub fn with<T: Send>(
        &self,
        f: impl FnOnce(&mut dyn Conn) -> Result<T, DbError> + Send,
    ) -> Result<T, DbError> {
        match self {
            Db::Sqlite(c) => {
                let c = c.lock().unwrap_or_else(PoisonError::into_inner);
                f(&mut Sqlite(&c))
            }
            Db::Postgres(c, config) => {
                let mut guard = c.lock().unwrap_or_else(PoisonError::into_inner);
                let client = connected(&mut guard, config)?;
                off_runtime(|| f(&mut Postgres(client)))
            }
        }
    }

    /// Runs `f` in one transaction, committed when it returns `Ok`.
    pub fn tx<T: Send>(
        &self,
        f: impl FnOnce(&mut dyn Conn) -> Result<T, DbError> + Send,
    ) -> Result<T, DbError> {
        match self {
            Db::Sqlite(c) => {
                let mut c = c.lock().unwrap_or_else(PoisonError::into_inner);
                // IMMEDIATE: the write lock is taken at the start, so two writers never
                // both read, then collide.
                let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let value = f(&mut Sqlite(&tx))?;
                tx.commit()?;
                Ok(value)
            }
            Db::Postgres(c, config) => {
                let mut guard = c.lock().unwrap_or_else(PoisonError::into_inner);
                let client = connected(&mut guard, config)?;
                off_runtime(|| {
                    let mut tx = client.transaction()?;
                    let value = f(&mut Postgres(&mut tx))?;
                    tx.commit()?;
                    Ok(value)
                })
            }
        }
    }
}

/// Runs `f` on a thread of its own and waits for it. The `postgres` client drives its
/// connection with a runtime of its own, which cannot start on a thread of the service's
/// (tokio refuses a runtime inside a runtime); a scoped thread per statement costs tens of
/// microseconds against a round trip to the server.
fn off_runtime<T: Send>(f: impl FnOnce() -> Result<T, DbError> + Send) -> Result<T, DbError> {
    std::thread::scope(|scope| {
        scope
            .spawn(f)
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
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
}
