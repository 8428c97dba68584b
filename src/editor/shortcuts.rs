//! The one table of shortcuts and gestures: the key handler looks keys up in it and the help
//! overlay lists it, so the two can never disagree.

use super::action::Action;

/// Which modifier a key binding needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Modifier {
    /// None (Shift is ignored: `?` needs it on most layouts).
    Plain,
    /// Ctrl, or ⌘ on a Mac, without Shift.
    Command,
    /// Ctrl/⌘ with Shift.
    CommandShift,
}

/// A key and its modifier. Letters match in either case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key's `KeyboardEvent.key` value.
    pub key: &'static str,
    /// The modifier it needs.
    pub modifier: Modifier,
}

/// What a shortcut does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Step back.
    Undo,
    /// Step forward again.
    Redo,
    /// Select every component.
    SelectAll,
    /// Copy the selection.
    Copy,
    /// Paste the clipboard.
    Paste,
    /// Copy and paste in one step.
    Duplicate,
    /// Delete the selection.
    Delete,
    /// Clear the selection and close overlays.
    Escape,
    /// Show or hide the shortcut list.
    Help,
}

impl Command {
    /// The editor action the command performs (`Help` only changes the page).
    pub fn action(self) -> Option<Action> {
        match self {
            Command::Undo => Some(Action::Undo),
            Command::Redo => Some(Action::Redo),
            Command::SelectAll => Some(Action::SelectAll),
            Command::Copy => Some(Action::Copy),
            Command::Paste => Some(Action::Paste),
            Command::Duplicate => Some(Action::Duplicate),
            Command::Delete => Some(Action::DeleteSelection),
            Command::Escape => Some(Action::ClearSelection),
            Command::Help => None,
        }
    }
}

/// One row of the help overlay: how to do it, what it does, and the keys that do it (none
/// for pointer gestures).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shortcut {
    /// How to do it, as the help shows it.
    pub how: &'static str,
    /// What it does.
    pub what: &'static str,
    /// Keys bound to it.
    pub keys: &'static [Key],
    /// What the keys do.
    pub command: Option<Command>,
}

const fn key(key: &'static str, modifier: Modifier) -> Key {
    Key { key, modifier }
}

const fn gesture(how: &'static str, what: &'static str) -> Shortcut {
    Shortcut {
        how,
        what,
        keys: &[],
        command: None,
    }
}

const fn keys(
    how: &'static str,
    what: &'static str,
    keys: &'static [Key],
    command: Command,
) -> Shortcut {
    Shortcut {
        how,
        what,
        keys,
        command: Some(command),
    }
}

/// Every shortcut and gesture, in the order the help lists them.
pub const SHORTCUTS: &[Shortcut] = &[
    gesture(
        "Drag from the palette",
        "add a component (or click it: adds at the centre)",
    ),
    gesture(
        "Drag a component",
        "move it (all selected ones move together)",
    ),
    gesture("Drag from the ● port", "connect to another component"),
    gesture("Drag the background", "pan"),
    gesture("Shift + drag the background", "select with a rectangle"),
    gesture("Wheel", "zoom around the pointer"),
    gesture("Click / Shift + click", "select / add to the selection"),
    keys(
        "Delete or Backspace",
        "delete the selection",
        &[
            key("Delete", Modifier::Plain),
            key("Backspace", Modifier::Plain),
        ],
        Command::Delete,
    ),
    keys(
        "Ctrl/⌘ + Z",
        "undo",
        &[key("z", Modifier::Command)],
        Command::Undo,
    ),
    keys(
        "Ctrl/⌘ + Shift + Z, Ctrl + Y",
        "redo",
        &[
            key("z", Modifier::CommandShift),
            key("y", Modifier::Command),
        ],
        Command::Redo,
    ),
    keys(
        "Ctrl/⌘ + A",
        "select everything",
        &[key("a", Modifier::Command)],
        Command::SelectAll,
    ),
    keys(
        "Ctrl/⌘ + C",
        "copy",
        &[key("c", Modifier::Command)],
        Command::Copy,
    ),
    keys(
        "Ctrl/⌘ + V",
        "paste",
        &[key("v", Modifier::Command)],
        Command::Paste,
    ),
    keys(
        "Ctrl/⌘ + D",
        "duplicate",
        &[key("d", Modifier::Command)],
        Command::Duplicate,
    ),
    keys(
        "Esc",
        "clear the selection, close this",
        &[key("Escape", Modifier::Plain)],
        Command::Escape,
    ),
    keys(
        "?",
        "show or hide this help",
        &[key("?", Modifier::Plain)],
        Command::Help,
    ),
];

/// The command bound to a key press, if any. `command` is Ctrl or ⌘.
pub fn lookup(pressed: &str, command: bool, shift: bool) -> Option<Command> {
    let wanted = match (command, shift) {
        (false, _) => Modifier::Plain,
        (true, false) => Modifier::Command,
        (true, true) => Modifier::CommandShift,
    };
    SHORTCUTS.iter().find_map(|s| {
        s.keys
            .iter()
            .any(|k| k.modifier == wanted && k.key.eq_ignore_ascii_case(pressed))
            .then_some(s.command)
            .flatten()
    })
}
