//! The background's bound on the work one frame or tab can cause (issue 13 §4).

use keyferry::budget::{Admit, Budget, FRAME_BURST, FRAME_PER_SEC, MAX_BUCKETS, TAB_BURST};

fn go(b: &mut Budget, tab: i64, frame: i64, now: u64) -> bool {
    b.admit(tab, frame, now) == Admit::Go
}

#[test]
fn a_frame_gets_its_burst_then_is_told_how_long_to_wait() {
    let mut b = Budget::default();
    for i in 0..FRAME_BURST {
        assert!(go(&mut b, 1, 0, 1000), "report {i} of the burst");
    }
    match b.admit(1, 0, 1000) {
        Admit::Busy { retry_ms } => assert_eq!(retry_ms, 1000 / FRAME_PER_SEC),
        other => panic!("expected busy, got {other:?}"),
    }
    // After the wait, one more.
    assert!(go(&mut b, 1, 0, 1000 + u64::from(1000 / FRAME_PER_SEC)));
    assert!(!go(&mut b, 1, 0, 1000 + u64::from(1000 / FRAME_PER_SEC)));
}

#[test]
fn a_busy_answer_costs_nothing() {
    let mut b = Budget::default();
    for _ in 0..FRAME_BURST {
        assert!(go(&mut b, 1, 0, 0));
    }
    for _ in 0..1000 {
        assert!(!go(&mut b, 1, 0, 0));
    }
    assert!(
        go(&mut b, 1, 0, 250),
        "a flood of refused reports does not push the next one back"
    );
}

#[test]
fn many_frames_of_one_tab_share_the_tab_budget() {
    let mut b = Budget::default();
    let mut admitted = 0;
    // 50 frames, 200 reports each, all at once.
    for frame in 0..50 {
        for _ in 0..200 {
            if go(&mut b, 7, frame, 5000) {
                admitted += 1;
            }
        }
    }
    assert_eq!(admitted, TAB_BURST, "the tab's burst, whatever the number of frames");
    // Over 10 seconds of flooding, the tab gets at most its burst + its rate.
    let mut later = 0;
    for ms in (5000..15_000).step_by(10) {
        for frame in 0..50 {
            if go(&mut b, 7, frame, ms) {
                later += 1;
            }
        }
    }
    assert!(
        later <= 20 * 10 + 1,
        "at most 20 a second for the whole tab, got {later} in 10 s"
    );
    assert!(later >= 20 * 10 - 2, "and the tab keeps its share: {later}");
}

#[test]
fn frames_of_a_flooding_tab_are_asked_to_wait_their_turn() {
    let mut b = Budget::default();
    for frame in 0..50 {
        b.admit(7, frame, 0);
    }
    // The tab's burst is spent: a frame must wait one turn per frame of the tab (50 frames at 20 a second).
    match b.admit(7, 49, 0) {
        Admit::Busy { retry_ms } => assert_eq!(retry_ms, 2500),
        other => panic!("expected busy, got {other:?}"),
    }
}

#[test]
fn another_tab_is_not_slowed_by_a_flooding_one() {
    let mut b = Budget::default();
    for frame in 0..50 {
        for _ in 0..200 {
            b.admit(7, frame, 0);
        }
    }
    for i in 0..FRAME_BURST {
        assert!(go(&mut b, 8, 0, 0), "the quiet tab's report {i} goes through at once");
    }
}

#[test]
fn the_wait_is_bounded_and_a_clock_going_back_refills_nothing() {
    let mut b = Budget::default();
    for _ in 0..FRAME_BURST {
        assert!(go(&mut b, 1, 0, 10_000));
    }
    match b.admit(1, 0, 5_000) {
        Admit::Busy { retry_ms } => assert!(retry_ms <= keyferry::budget::MAX_RETRY_MS && retry_ms > 0),
        other => panic!("expected busy, got {other:?}"),
    }
}

#[test]
fn closing_a_tab_forgets_its_buckets_and_the_maps_stay_bounded() {
    let mut b = Budget::default();
    for frame in 0..10 {
        b.admit(3, frame, 0);
    }
    b.admit(4, 0, 0);
    b.forget_tab(3);
    assert_eq!(b.len(), 2, "tab 4's frame and tab");
    for i in 0..(MAX_BUCKETS as i64 * 2) {
        b.admit(100 + i, 0, i as u64);
    }
    assert!(b.len() <= MAX_BUCKETS, "{} buckets kept", b.len());
    // A tab that floods after a long idle time starts with a full burst again.
    assert!(go(&mut b, 4, 0, 10_000_000));
}
