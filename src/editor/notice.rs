//! Messages for the person editing.

/// A message for the person editing: why an edit was refused, or what just happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    /// Whether it reports a refusal or failure.
    pub error: bool,
    /// The message.
    pub text: String,
}

impl Notice {
    /// A message about something that went wrong.
    pub fn error(text: impl Into<String>) -> Notice {
        Notice {
            error: true,
            text: text.into(),
        }
    }

    /// A message about something that happened.
    pub fn info(text: impl Into<String>) -> Notice {
        Notice {
            error: false,
            text: text.into(),
        }
    }
}
