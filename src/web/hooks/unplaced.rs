//! What the numbers read: the design without its positions ([`Scenario::unplaced`]).

use crate::model::Scenario;
use std::rc::Rc;
use yew::prelude::*;

/// The design on screen without its positions, as one value that changes only when
/// something other than a position does: the live solve and the analyses in workers are
/// keyed on it, so dropping a dragged box solves nothing again, restarts no analysis and
/// redraws only that box (each drop at 200 components did all three).
#[hook]
pub fn use_unplaced(scenario: Rc<Scenario>) -> Rc<Scenario> {
    let last = use_mut_ref(|| None::<Rc<Scenario>>);
    let unplaced = use_memo(scenario, move |s| {
        let next = s.unplaced();
        let mut last = last.borrow_mut();
        match &*last {
            Some(same) if **same == next => same.clone(),
            _ => last.insert(Rc::new(next)).clone(),
        }
    });
    (*unplaced).clone()
}
