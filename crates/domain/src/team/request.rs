//! A 相談・依頼 stays open until someone answers it or it is closed: the
//! team's list of open requests is what nobody has answered yet.

use super::TeamError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestState {
    Open,
    Answered,
    Closed,
}

/// Who acts on a request, relative to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestActor {
    /// The member (organisation) that asked. Its own colleagues adding to
    /// the question do not answer it.
    Asker,
    /// The team's owning clinic.
    Physician,
    /// Any other active member.
    Other,
}

impl RequestState {
    pub const ALL: [RequestState; 3] = [
        RequestState::Open,
        RequestState::Answered,
        RequestState::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RequestState::Open => "open",
            RequestState::Answered => "answered",
            RequestState::Closed => "closed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            RequestState::Open => "未回答",
            RequestState::Answered => "回答あり",
            RequestState::Closed => "終了",
        }
    }

    /// After a reply by `replier`: anyone but the asker answers it. A
    /// closed request takes no more replies (ask again in a new post).
    pub fn after_reply(self, replier: RequestActor) -> Result<RequestState, TeamError> {
        match self {
            RequestState::Closed => Err(TeamError::RequestClosed),
            RequestState::Open if replier != RequestActor::Asker => Ok(RequestState::Answered),
            other => Ok(other),
        }
    }

    /// Closing: by the asker or the physician, once.
    pub fn close(self, closer: RequestActor) -> Result<RequestState, TeamError> {
        if closer == RequestActor::Other {
            return Err(TeamError::OnlyAskerOrPhysicianCloses);
        }
        match self {
            RequestState::Closed => Err(TeamError::RequestClosed),
            RequestState::Open | RequestState::Answered => Ok(RequestState::Closed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RequestActor::*;
    use RequestState::*;

    #[test]
    fn states_round_trip() {
        for s in RequestState::ALL {
            assert_eq!(RequestState::from_code(s.code()), Some(s));
        }
    }

    #[test]
    fn a_reply_by_someone_else_answers_it() {
        assert_eq!(Open.after_reply(Asker), Ok(Open));
        assert_eq!(Open.after_reply(Other), Ok(Answered));
        assert_eq!(Open.after_reply(Physician), Ok(Answered));
        assert_eq!(Answered.after_reply(Asker), Ok(Answered));
        assert_eq!(Closed.after_reply(Other), Err(TeamError::RequestClosed));
    }

    #[test]
    fn the_asker_or_the_physician_closes_it_once() {
        assert_eq!(Open.close(Asker), Ok(Closed));
        assert_eq!(Answered.close(Physician), Ok(Closed));
        assert_eq!(
            Open.close(Other),
            Err(TeamError::OnlyAskerOrPhysicianCloses)
        );
        assert_eq!(Closed.close(Asker), Err(TeamError::RequestClosed));
    }
}
