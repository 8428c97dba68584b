//! Which links the editor accepts, and the settings a new link starts with.

use crate::model::{Class, Component, Kind, Link, Scenario};

/// Why a link cannot be drawn. Each message names the components so a person knows what to
/// change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectError {
    /// One end is not a component of the design.
    #[error("both ends of a link must be components")]
    MissingEnd,
    /// A component linked to itself.
    #[error("{0} cannot send requests to itself")]
    ToItself(String),
    /// The sender's kind sends nothing (monitoring).
    #[error("{0} watches the system; it sends no requests")]
    SendsNothing(&'static str),
    /// The receiver's kind only sends (a client).
    #[error("a {0} only sends traffic; it cannot receive it")]
    OnlySends(&'static str),
    /// The receiver's kind takes no requests (monitoring).
    #[error("{0} watches the system; no request goes through it")]
    TakesNothing(&'static str),
    /// The same link exists already.
    #[error("{0} already sends to {1}")]
    Exists(String, String),
}

/// Whether `a` may send to `b` at all, whatever links the design has: the rules of
/// [`connection`] that the inspector's list of targets applies to every component (it
/// checks the links once for all of them).
///
/// # Errors
/// Why the two components cannot be linked.
pub fn pair(a: &Component, b: &Component) -> Result<(), ConnectError> {
    if a.id == b.id {
        return Err(ConnectError::ToItself(a.display_name().to_owned()));
    }
    if !a.kind.sends() {
        return Err(ConnectError::SendsNothing(a.kind.name()));
    }
    if !b.kind.accepts_input() {
        return Err(if b.kind.sends() {
            ConnectError::OnlySends(b.kind.name())
        } else {
            ConnectError::TakesNothing(b.kind.name())
        });
    }
    Ok(())
}

/// The link `from → to` as the editor would add it, or the reason it is refused.
///
/// # Errors
/// Why the two components cannot be linked that way.
pub fn connection(s: &Scenario, from: &str, to: &str) -> Result<Link, ConnectError> {
    let (Some(a), Some(b)) = (s.component(from), s.component(to)) else {
        return Err(ConnectError::MissingEnd);
    };
    pair(a, b)?;
    if s.links.iter().any(|l| l.from == from && l.to == to) {
        return Err(ConnectError::Exists(
            a.display_name().to_owned(),
            b.display_name().to_owned(),
        ));
    }
    let mut link = Link::new(from, to);
    // Sessions are looked up on every request, not handed the request: a call.
    if b.kind == Kind::SessionStore {
        link.calls = Some(1.0);
    }
    // Only what the receiver can serve: static to a CDN or object storage, reads to a
    // replica. A sender that already sends its static requests to a CDN or object storage
    // sends the rest elsewhere: reads and writes.
    link.classes = b.kind.default_link_classes();
    let static_elsewhere = s
        .links
        .iter()
        .any(|l| l.from == from && l.calls.is_none() && l.classes == [Class::Static]);
    if link.classes.is_empty() && link.calls.is_none() && static_elsewhere {
        link.classes = vec![Class::Read, Class::Write];
    }
    Ok(link)
}
