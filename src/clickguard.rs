//! Clickjacking guard: may a click in the panel act, given what the browser
//! says about the panel's visibility at that click?
//!
//! A page cannot style the panel's host (its `:host` rules are locked), but it
//! can hide the panel through its surroundings: opacity or a filter on
//! `<html>`/`<body>`, moving the host into a faded container, a cover drawn
//! over it with `pointer-events: none`, or framing the whole console page at
//! opacity 0.01. Capture, Fill, Copy, Bind and "Replace them too" therefore
//! act only when the panel is visible at the click and has been for
//! [`MIN_VISIBLE_MS`]. The facts come from two places, both gathered by thin
//! JS / `src/web` code that decides nothing:
//!
//! - the overlay ([`PanelFacts`]): IntersectionObserver v2 (`trackVisibility`),
//!   where the browser has it (Chromium): the browser's own judgement of
//!   opacity, filters, transforms and occlusion across the whole frame chain;
//! - the page agent ([`PageFacts`]), in every browser: the effective opacity,
//!   filter, transform, clip, mask and visibility of the host and each of its
//!   ancestors up to the root (and up the frame chain while it is
//!   same-origin), whether the host still sits where the agent put it, and
//!   whether anything of the page's is drawn over the click point.
//!
//! This module holds only the decision; it is pure and tested natively.

use serde::{Deserialize, Serialize};

use crate::catalog::Console;
use crate::recognize::Location;

/// How long the panel must have been visible before a click on it acts.
pub const MIN_VISIBLE_MS: u64 = 500;

/// The overlay's own view of its visibility, sent with the click.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelFacts {
    /// The browser tracks visibility (IntersectionObserver v2).
    pub tracked: bool,
    /// How long the observer has reported the panel visible without a break,
    /// in ms; `None` when it last said "not visible" (or never said anything).
    pub visible_ms: Option<u64>,
    /// Where the click landed, in the panel frame's CSS pixels.
    pub x: f64,
    pub y: f64,
}

/// What the page agent found when asked about a click (all booleans are
/// "a problem was seen").
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PageFacts {
    /// The agent has a panel in this frame at all.
    pub present: bool,
    /// The product of the opacities of the host and its ancestors (and of the
    /// same-origin frame chain above it).
    pub opacity: f64,
    /// A filter, backdrop filter or blend mode on the host or an ancestor.
    pub filter: bool,
    /// A transform (other than a plain translation), scale, rotation or zoom.
    pub transform: bool,
    /// A clip or clip-path.
    pub clip: bool,
    /// A mask.
    pub mask: bool,
    /// The host's own computed visibility is not `visible`, or it has no box.
    pub hidden: bool,
    /// The host is no longer where the agent put it (parent, order or box).
    pub moved: bool,
    /// Something of the page's is drawn over the click point (a hit-test
    /// winner other than the host, a later sibling, a top-layer element).
    pub covered: bool,
    /// The click point is outside the panel frame as the agent sees it.
    pub outside: bool,
    /// How long the agent's own sampling has found the panel clean, in ms.
    pub clean_ms: u64,
}

/// Why a click was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The agent did not answer (or has no panel here).
    NoAnswer,
    /// Faded, filtered, transformed, clipped, masked or hidden.
    NotVisible,
    /// The host was moved out of the place keyferry put it.
    Moved,
    /// Something is drawn over the panel at the click point.
    Covered,
    /// Visible, but not for long enough yet.
    TooSoon,
    /// The console page is framed by a page that is not the console's own.
    Framed,
}

/// Opacity below this counts as faded (rounding in computed styles aside,
/// anything a page sets on purpose is far below it).
const OPAQUE: f64 = 0.999;

/// Decides whether a click may act. `page` is `None` when the agent did not
/// answer in time. Every fact must be clean; missing evidence is a refusal,
/// never an allowance.
pub fn decide(
    panel: &PanelFacts,
    page: Option<&PageFacts>,
    framed_ok: bool,
) -> Result<(), Refusal> {
    if !framed_ok {
        return Err(Refusal::Framed);
    }
    let page = page.filter(|p| p.present).ok_or(Refusal::NoAnswer)?;
    if page.moved {
        return Err(Refusal::Moved);
    }
    if page.hidden
        || !(page.opacity >= OPAQUE)
        || page.filter
        || page.transform
        || page.clip
        || page.mask
    {
        return Err(Refusal::NotVisible);
    }
    if page.covered || page.outside {
        return Err(Refusal::Covered);
    }
    if panel.tracked {
        match panel.visible_ms {
            None => return Err(Refusal::NotVisible),
            Some(ms) if ms < MIN_VISIBLE_MS => return Err(Refusal::TooSoon),
            Some(_) => {}
        }
    }
    if page.clean_ms < MIN_VISIBLE_MS {
        return Err(Refusal::TooSoon);
    }
    Ok(())
}

/// May a console page in this frame capture and fill? The top frame always
/// may. A subframe only inside its console's own known frame structure: today
/// that is Salesforce's Lightning Setup wrapper (`/lightning/setup/...` on a
/// Salesforce host of the same org) around a classic (Visualforce) page. A
/// console page framed by anything else, including a page of its own origin,
/// is treated as a clickjacking frame. `top_url` is what the browser says the
/// tab shows (`None`: unknown, which is a refusal).
pub fn frame_allowed(
    console: Console,
    is_top: bool,
    frame_url: &str,
    top_url: Option<&str>,
) -> bool {
    if is_top {
        return true;
    }
    if console != Console::Salesforce {
        return false;
    }
    let (Some(frame), Some(top)) = (
        Location::parse(frame_url),
        top_url.and_then(Location::parse),
    ) else {
        return false;
    };
    let (Some(top_org), Some(frame_org)) =
        (crate::host::salesforce_org_label(&top.host), crate::host::salesforce_org_label(&frame.host))
    else {
        return false;
    };
    top_org == frame_org
        && top.path.starts_with("/lightning/setup/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean() -> PageFacts {
        PageFacts {
            present: true,
            opacity: 1.0,
            clean_ms: 2_000,
            ..Default::default()
        }
    }
    const UNTRACKED: PanelFacts = PanelFacts {
        tracked: false,
        visible_ms: None,
        x: 10.0,
        y: 10.0,
    };
    const SEEN: PanelFacts = PanelFacts {
        tracked: true,
        visible_ms: Some(900),
        x: 10.0,
        y: 10.0,
    };

    #[test]
    fn clean_and_long_enough_acts() {
        assert_eq!(decide(&UNTRACKED, Some(&clean()), true), Ok(()));
        assert_eq!(decide(&SEEN, Some(&clean()), true), Ok(()));
    }

    #[test]
    fn no_answer_is_a_refusal() {
        assert_eq!(decide(&SEEN, None, true), Err(Refusal::NoAnswer));
        let absent = PageFacts {
            present: false,
            ..clean()
        };
        assert_eq!(decide(&SEEN, Some(&absent), true), Err(Refusal::NoAnswer));
    }

    #[test]
    fn each_effect_refuses() {
        for (name, p) in [
            (
                "opacity 0",
                PageFacts {
                    opacity: 0.0,
                    ..clean()
                },
            ),
            (
                "opacity 0.01",
                PageFacts {
                    opacity: 0.01,
                    ..clean()
                },
            ),
            (
                "opacity 0.99",
                PageFacts {
                    opacity: 0.99,
                    ..clean()
                },
            ),
            (
                "opacity NaN",
                PageFacts {
                    opacity: f64::NAN,
                    ..clean()
                },
            ),
            (
                "filter",
                PageFacts {
                    filter: true,
                    ..clean()
                },
            ),
            (
                "transform",
                PageFacts {
                    transform: true,
                    ..clean()
                },
            ),
            (
                "clip",
                PageFacts {
                    clip: true,
                    ..clean()
                },
            ),
            (
                "mask",
                PageFacts {
                    mask: true,
                    ..clean()
                },
            ),
            (
                "hidden",
                PageFacts {
                    hidden: true,
                    ..clean()
                },
            ),
        ] {
            assert_eq!(
                decide(&SEEN, Some(&p), true),
                Err(Refusal::NotVisible),
                "{name}"
            );
            assert_eq!(
                decide(&UNTRACKED, Some(&p), true),
                Err(Refusal::NotVisible),
                "{name}"
            );
        }
    }

    #[test]
    fn moved_and_covered_refuse() {
        assert_eq!(
            decide(
                &SEEN,
                Some(&PageFacts {
                    moved: true,
                    ..clean()
                }),
                true
            ),
            Err(Refusal::Moved)
        );
        assert_eq!(
            decide(
                &SEEN,
                Some(&PageFacts {
                    covered: true,
                    ..clean()
                }),
                true
            ),
            Err(Refusal::Covered)
        );
        assert_eq!(
            decide(
                &SEEN,
                Some(&PageFacts {
                    outside: true,
                    ..clean()
                }),
                true
            ),
            Err(Refusal::Covered)
        );
    }

    #[test]
    fn the_browser_saying_not_visible_refuses_even_if_the_page_looks_clean() {
        let unseen = PanelFacts {
            visible_ms: None,
            ..SEEN
        };
        assert_eq!(
            decide(&unseen, Some(&clean()), true),
            Err(Refusal::NotVisible)
        );
    }

    #[test]
    fn too_soon_by_either_clock() {
        let fresh = PanelFacts {
            visible_ms: Some(MIN_VISIBLE_MS - 1),
            ..SEEN
        };
        assert_eq!(decide(&fresh, Some(&clean()), true), Err(Refusal::TooSoon));
        let young = PageFacts {
            clean_ms: MIN_VISIBLE_MS - 1,
            ..clean()
        };
        assert_eq!(decide(&SEEN, Some(&young), true), Err(Refusal::TooSoon));
        assert_eq!(
            decide(&UNTRACKED, Some(&young), true),
            Err(Refusal::TooSoon)
        );
        let exact = PanelFacts {
            visible_ms: Some(MIN_VISIBLE_MS),
            ..SEEN
        };
        let exact_page = PageFacts {
            clean_ms: MIN_VISIBLE_MS,
            ..clean()
        };
        assert_eq!(decide(&exact, Some(&exact_page), true), Ok(()));
    }

    #[test]
    fn framed_refuses_first() {
        assert_eq!(decide(&SEEN, Some(&clean()), false), Err(Refusal::Framed));
        assert_eq!(decide(&SEEN, None, false), Err(Refusal::Framed));
    }

    #[test]
    fn frames_only_inside_the_consoles_own_wrapper() {
        let vf = "https://acme.my.salesforce.com/app/mgmt/forceconnectedapps/forceAppEdit.apexp?isdtp=p1";
        let lex =
            "https://acme.lightning.force.com/lightning/setup/NavigationMenus/page?address=%2Fapp";
        // Top frames always.
        assert!(frame_allowed(
            Console::Okta,
            true,
            "https://acme-admin.okta.com/admin/access/api/tokens",
            None
        ));
        assert!(frame_allowed(Console::Salesforce, true, vf, None));
        // Salesforce's Lightning wrapper around the classic page, same org.
        assert!(frame_allowed(Console::Salesforce, false, vf, Some(lex)));
        assert!(frame_allowed(
            Console::Salesforce,
            false,
            "https://acme--c.vf.force.com/apex/x",
            Some(lex)
        ));
        // Another org's wrapper, a non-setup Lightning page, a foreign top.
        assert!(!frame_allowed(
            Console::Salesforce,
            false,
            vf,
            Some("https://evil.lightning.force.com/lightning/setup/X/page")
        ));
        assert!(!frame_allowed(
            Console::Salesforce,
            false,
            vf,
            Some("https://acme.lightning.force.com/lightning/page/home")
        ));
        assert!(!frame_allowed(
            Console::Salesforce,
            false,
            vf,
            Some("https://acme.evil.test/lightning/setup/X/page")
        ));
        assert!(!frame_allowed(
            Console::Salesforce,
            false,
            vf,
            Some("https://acme.my.salesforce.com/framer.html")
        ));
        assert!(!frame_allowed(Console::Salesforce, false, vf, None));
        // Okta, Workflows, Workato pages are never legitimately framed, not
        // even by a page of their own origin.
        let tokens = "https://acme-admin.okta.com/admin/access/api/tokens";
        assert!(!frame_allowed(
            Console::Okta,
            false,
            tokens,
            Some("https://acme-admin.okta.com/framer.html")
        ));
        assert!(!frame_allowed(
            Console::Workato,
            false,
            "https://app.workato.com/connections/new",
            Some("https://app.workato.com/x")
        ));
    }
}
