//! Whether the shortcut list is open. A reducer rather than a plain state, so that the
//! key listener (made once) toggles the current value, not the one it saw when made.

use std::rc::Rc;
use yew::prelude::*;

/// The shortcut list's state.
#[derive(Clone, Copy, PartialEq, Default)]
pub struct Help {
    /// Whether it is open.
    pub open: bool,
}

/// What can happen to the shortcut list.
pub enum HelpAction {
    /// Open it if closed, close it if open.
    Toggle,
    /// Close it.
    Close,
}

impl Reducible for Help {
    type Action = HelpAction;

    fn reduce(self: Rc<Self>, action: HelpAction) -> Rc<Self> {
        let open = match action {
            HelpAction::Toggle => !self.open,
            HelpAction::Close => false,
        };
        if open == self.open {
            self
        } else {
            Rc::new(Help { open })
        }
    }
}

/// The shortcut list's state and its dispatcher.
#[hook]
pub fn use_help() -> UseReducerHandle<Help> {
    use_reducer(Help::default)
}
