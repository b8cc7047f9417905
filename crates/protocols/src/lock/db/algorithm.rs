//! The database lock in the catalogue: its names, its parameters, its presets.

use super::{Db, DbMode};
use crate::algorithm::{read, span, Algorithm, Cluster, ParamError, Params};
use crate::lock::{build, Common, Lock};
use crate::Text;
use serde::Deserialize;

pub struct Entry;

fn default_connection_timeout() -> f64 {
    100.0
}

#[derive(Deserialize, Clone, Copy, PartialEq)]
#[serde(rename_all = "kebab-case")]
enum Mode {
    /// `INSERT` under a unique index; waiters poll.
    Insert,
    /// `SELECT … FOR UPDATE`; waiters block in the database.
    ForUpdate,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DbParams {
    #[serde(flatten)]
    common: Common,
    /// "insert" (the default) or "for-update": the lock lives as long as the holder's
    /// transaction and connection.
    mode: Option<Mode>,
    /// The older spelling of `"mode": "for-update"`, still read from old links.
    for_update: Option<bool>,
    /// The row keeps a re-entrancy count: its holder may acquire again.
    #[serde(default)]
    reentrant: bool,
    /// How long the database waits on a silent connection (`FOR UPDATE`).
    #[serde(default = "default_connection_timeout")]
    connection_timeout_ms: f64,
}

impl Algorithm for Entry {
    type Protocol = Lock<Db>;
    const ID: &'static str = "db-lock";
    const FAMILY: &'static str = "lock";
    const NAME: Text = Text::new(
        "Database lock (unique index or SELECT … FOR UPDATE)",
        "数据库锁（唯一索引或 SELECT … FOR UPDATE）",
    );
    const HOW: Text = Text::new(
        "A client inserts a row under a unique index to take the lock and deletes it to release; \
         while the insert fails it polls. The row never expires: if its holder crashes, everyone \
         polls forever. Asking again while holding fails on one's own row, unless the row keeps a \
         re-entrancy count (reentrant): then each acquire adds one, each release takes one off, \
         and the row goes at zero. With SELECT … FOR UPDATE (mode for-update) the lock is the row \
         lock of the holder's transaction: waiters block in the database instead of polling, and \
         the lock ends with COMMIT or with the connection, which the database closes after the \
         connection timeout of silence.",
        "客户端在唯一索引上插入一行来加锁，删除这一行来解锁；插入失败就轮询重试。这一行没有过期时间：\
         持锁者宕机后，其他人只能永远轮询下去。持锁时再次加锁会被自己的那一行挡住，除非这一行记录重入\
         计数（reentrant）：每次加锁加一，每次解锁减一，减到零才删除。用 SELECT … FOR UPDATE\
         （mode 为 for-update）时，锁就是持锁者事务持有的行锁：等待者在数据库里阻塞而不轮询；\
         提交事务或连接断开时锁随之释放，连接静默超过连接超时后由数据库关闭。",
    );
    const PRESETS: &'static [&'static str] = &[
        include_str!("presets/db-lock-holder-crash.json"),
        include_str!("presets/db-lock-for-update-crash.json"),
        include_str!("presets/db-lock-reentrant.json"),
    ];

    fn configure(params: &Params, cluster: Cluster) -> Result<Lock<Db>, ParamError> {
        let p: DbParams = read(params)?;
        let mode = match (p.mode, p.for_update) {
            (Some(Mode::Insert), Some(true)) => {
                return Err(ParamError::new(
                    "params.for_update",
                    "is true but params.mode is \"insert\"; give only \"mode\": \"for-update\"",
                    "已开启，但 params.mode 为“insert”；请只写 `\"mode\": \"for-update\"`",
                ))
            }
            (Some(mode), _) => mode,
            (None, Some(true)) => Mode::ForUpdate,
            (None, _) => Mode::Insert,
        };
        let connection_timeout = span("params.connection_timeout_ms", p.connection_timeout_ms)?;
        if connection_timeout < 3 {
            return Err(ParamError::new(
                "params.connection_timeout_ms",
                "must be at least 0.003 ms (keep-alives go every third of it)",
                "必须至少为 0.003 毫秒（保活消息每隔它的三分之一发送一次）",
            ));
        }
        let db = Db {
            mode: match mode {
                Mode::Insert => DbMode::Insert,
                Mode::ForUpdate => DbMode::ForUpdate,
            },
            reentrant: p.reentrant,
            connection_timeout,
        };
        build(p.common, db, cluster)
    }
}
