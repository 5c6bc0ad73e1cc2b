//! How much work one frame or one tab may cause in the background (issue 13
//! §4, SECURITY.md "Bounded work").
//!
//! Every `hello` (a new document or URL) and every `facts` report costs the
//! background a recognition, a checklist and a view for the panel. A page
//! that floods `history.pushState` across many frames of its own can send
//! thousands of them; the background runs them one after the other, so
//! another tab's panel would wait behind them. Each message is admitted
//! against two token buckets, one for its frame and one for its tab; past
//! either, the background answers `busy` with the time to wait before
//! trying again, without decoding or evaluating anything. The agent waits
//! that long and reports again (only the latest state of the frame counts),
//! so a legitimate page loses nothing but a little latency.
//!
//! Pure: time comes in as milliseconds, the caller keeps the [`Budget`].

use crate::vecmap::VecMap;

/// Per frame: a burst of 8 reports, then 4 a second.
pub const FRAME_BURST: u32 = 8;
pub const FRAME_PER_SEC: u32 = 4;
/// Per tab (all its frames together): a burst of 40, then 20 a second.
pub const TAB_BURST: u32 = 40;
pub const TAB_PER_SEC: u32 = 20;
/// The longest wait the background ever asks for.
pub const MAX_RETRY_MS: u32 = 5_000;
/// Buckets kept at most (the oldest full ones are forgotten first).
pub const MAX_BUCKETS: usize = 4_096;

/// A token bucket in thousandths of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Bucket {
    milli: u64,
    at_ms: u64,
}

impl Bucket {
    fn full(burst: u32, now_ms: u64) -> Self {
        Bucket {
            milli: u64::from(burst) * 1000,
            at_ms: now_ms,
        }
    }
    /// Refills for the time since the last look (a clock that went back
    /// refills nothing).
    fn refill(&mut self, burst: u32, per_sec: u32, now_ms: u64) {
        let elapsed = now_ms.saturating_sub(self.at_ms);
        let cap = u64::from(burst) * 1000;
        self.milli = (self.milli + elapsed * u64::from(per_sec)).min(cap);
        self.at_ms = self.at_ms.max(now_ms);
    }
    /// Milliseconds until one whole token is there (0: now).
    fn wait_ms(&self, per_sec: u32) -> u64 {
        if self.milli >= 1000 {
            0
        } else {
            (1000 - self.milli).div_ceil(u64::from(per_sec.max(1)))
        }
    }
}

/// The outcome of [`Budget::admit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admit {
    /// Do the work.
    Go,
    /// Do nothing now; the sender may try again after this many ms.
    Busy { retry_ms: u32 },
}

/// The background's buckets, per frame and per tab.
#[derive(Debug, Default)]
pub struct Budget {
    frames: VecMap<(i64, i64), Bucket>,
    tabs: VecMap<i64, Bucket>,
}

impl Budget {
    /// One report from `frame` of `tab` at `now_ms`: admitted (and counted
    /// against both buckets), or busy with the wait until both have a token.
    /// A busy answer costs the buckets nothing.
    pub fn admit(&mut self, tab: i64, frame: i64, now_ms: u64) -> Admit {
        self.prune(now_ms);
        let f = self
            .frames
            .get_or_insert_with((tab, frame), || Bucket::full(FRAME_BURST, now_ms));
        f.refill(FRAME_BURST, FRAME_PER_SEC, now_ms);
        let frame_wait = f.wait_ms(FRAME_PER_SEC);
        let t = self.tabs.get_or_insert_with(tab, || Bucket::full(TAB_BURST, now_ms));
        t.refill(TAB_BURST, TAB_PER_SEC, now_ms);
        let tab_spent = t.wait_ms(TAB_PER_SEC) > 0;
        // The tab's share is spent: its frames take turns, so each is asked
        // to wait one turn per frame of the tab (no retry storm of busy
        // answers from many frames at once).
        let tab_wait = if tab_spent {
            let frames = self.frames.keys().filter(|(t, _)| *t == tab).count() as u64;
            (frames.max(1) * 1000).div_ceil(u64::from(TAB_PER_SEC))
        } else {
            0
        };
        let wait = frame_wait.max(tab_wait);
        if wait > 0 {
            return Admit::Busy {
                retry_ms: wait.min(u64::from(MAX_RETRY_MS)) as u32,
            };
        }
        let f = self.frames.get_mut(&(tab, frame)).expect("inserted above");
        f.milli -= 1000;
        self.tabs.get_mut(&tab).expect("inserted above").milli -= 1000;
        Admit::Go
    }

    /// The tab closed: its buckets go.
    pub fn forget_tab(&mut self, tab: i64) {
        self.tabs.remove(&tab);
        self.frames.retain(|(t, _), _| *t != tab);
    }

    /// How many buckets are kept (frames + tabs).
    pub fn len(&self) -> usize {
        self.frames.len() + self.tabs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Keeps the maps bounded: past [`MAX_BUCKETS`], buckets that are full
    /// again (idle long enough; forgetting them changes nothing) go, and if
    /// that is not enough, the least recently used ones.
    fn prune(&mut self, now_ms: u64) {
        if self.len() < MAX_BUCKETS {
            return;
        }
        let idle_frame = u64::from(FRAME_BURST) * 1000 / u64::from(FRAME_PER_SEC);
        let idle_tab = u64::from(TAB_BURST) * 1000 / u64::from(TAB_PER_SEC);
        self.frames.retain(|_, b| now_ms.saturating_sub(b.at_ms) < idle_frame);
        self.tabs.retain(|_, b| now_ms.saturating_sub(b.at_ms) < idle_tab);
        while self.len() >= MAX_BUCKETS {
            let oldest = self.frames.iter().min_by_key(|(_, b)| b.at_ms).map(|(k, _)| *k);
            match oldest {
                Some(k) => {
                    self.frames.remove(&k);
                }
                None => {
                    let t = self.tabs.iter().min_by_key(|(_, b)| b.at_ms).map(|(k, _)| *k);
                    match t {
                        Some(t) => self.tabs.remove(&t),
                        None => break,
                    };
                }
            }
        }
    }
}
