//! What this algorithm writes in the event log, in English and Simplified Chinese.

use super::*;

/// What a RedLock client says in the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Note {
    TooSlow {
        elapsed: Span,
        ttl: Span,
    },
    TooFew {
        granted: usize,
        instances: usize,
    },
    Holds {
        granted: usize,
        instances: usize,
        validity: Span,
    },
}

impl Words for Note {
    fn write(&self, lang: Lang, out: &mut String) {
        match *self {
            Note::TooSlow { elapsed, ttl } => {
                let (elapsed, ttl) = (to_ms(elapsed), to_ms(ttl));
                say!(
                    lang,
                    out,
                    "a majority, but asking took {elapsed} ms of the {ttl} ms lease: releases on \
                     every instance and retries",
                    "得到多数同意，但请求用掉了 {ttl} 毫秒租约中的 {elapsed} 毫秒：在每个实例上\
                     释放并重试"
                )
            }
            Note::TooFew { granted, instances } => say!(
                lang,
                out,
                "only {granted} of {instances} instances said yes in time: releases on every \
                 instance and retries",
                "只有 {granted} / {instances} 个实例及时同意：在每个实例上释放并重试"
            ),
            Note::Holds {
                granted,
                instances,
                validity,
            } => {
                let validity = to_ms(validity);
                say!(
                    lang,
                    out,
                    "{granted} of {instances} instances: holds the lock for {validity} ms (its \
                     validity)",
                    "{granted} / {instances} 个实例同意：持有锁 {validity} 毫秒（有效期）"
                )
            }
        }
    }
}
