//! The duty after each unanswered attempt of a step that asks for one (`each unanswered then
//! leave message`): its own obligation, `EPISODE/STEP/follow-up/K` for the Kth counted attempt
//! nobody answered, for the step's role, due the framework's `immediately` after that
//! attempt, done by the message recorded after it (see [`super::attempts`]).

use std::sync::Arc;

use super::attempts::Unanswered;
use super::decision::{Obligation, Status};
use super::discharge::{status_of, Ended};
use super::obligation::Draft;
use super::{words, Episode, Eval};
use crate::rules::flow::End;
use crate::rules::{RoleId, StepDef};
use crate::time::Instant;
use crate::vocab::FollowUp;
use crate::wording::upper_first;

/// The step the follow-ups belong to, as the ladder worked it out.
pub(super) struct Owner<'s> {
    /// The step.
    pub step: &'s StepDef,
    /// The role it fell to.
    pub role: Option<RoleId>,
    /// When the episode closed, and how, where closure ends the step's duties.
    pub closed: Option<&'s (Instant, String)>,
}

/// One obligation per unanswered attempt, in order.
pub(super) fn duties(
    ev: &Eval<'_>,
    ep: &Episode<'_>,
    owner: &Owner<'_>,
    (follow_up, unanswered): (FollowUp, &[Unanswered]),
) -> Vec<Obligation> {
    unanswered
        .iter()
        .enumerate()
        .map(|(k, u)| duty(ev, ep, owner, follow_up, (k + 1, u)))
        .collect()
}

fn duty(
    ev: &Eval<'_>,
    ep: &Episode<'_>,
    owner: &Owner<'_>,
    follow_up: FollowUp,
    (k, u): (usize, &Unanswered),
) -> Obligation {
    let step = owner.step;
    let due = ev.civil.after(u.at, ev.rs.immediately);
    let ended = u.followed.map(|at| Ended {
        at,
        end: End::Done(None),
    });
    let mut because: Vec<Arc<str>> = vec![
        ep.trigger.text.clone(),
        Arc::from(format!(
            "attempt {k} of `{}` at {} (event {}) got no answer: the step asks to {} after each unanswered attempt",
            step.name,
            words::clock(ev, u.at),
            u.event,
            follow_up.words()
        )),
    ];
    // Closure ends the follow-up as it ends the step: nobody needs the message once the person
    // is found.
    let closed = owner.closed.filter(|c| u.followed.is_none_or(|d| d > c.0));
    let (status, late_by, done_at) = match closed {
        Some((closed_at, how)) => {
            because.push(Arc::from(format!(
                "no longer required: the episode closed at {} ({how})",
                words::clock(ev, *closed_at)
            )));
            let late = (due < *closed_at).then(|| (*closed_at - due).num_seconds());
            (Status::NotRequired, late, None)
        }
        None => {
            if let (None, Some(next)) = (u.followed, u.next) {
                because.push(Arc::from(format!(
                    "not done before the next attempt at {}: it can no longer be done",
                    words::clock(ev, next)
                )));
            }
            let (status, late) = status_of(ended, Some(due), true, ev.as_of);
            (status, late, u.followed)
        }
    };
    let draft = Draft {
        id: format!("{}/{}/follow-up/{k}", ep.id, step.name),
        person: ev.person_arc(ep.person),
        visit: ev.visit_id(ep.trigger.visit),
        episode: ep.id.clone(),
        action: follow_up.action(),
        summary: Arc::from(format!(
            "{} after the unanswered attempt at {}",
            upper_first(follow_up.words()),
            words::clock(ev, u.at)
        )),
        role: owner.role,
        opened_at: u.at,
        due: Some(due),
        done_at,
        rule: step.provenance.clone(),
        cites: step.all_cites.clone(),
        because,
        outcome: None,
        links: (None, ep.from.clone()),
    };
    ev.obligation(draft, (status, late_by))
}
