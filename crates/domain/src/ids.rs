//! Record identifiers.

use uuid::Uuid;

/// UUIDv7: time-ordered, so records created offline on different PCs sort
/// by creation and never collide when synced with the regional server.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_v7_unique_and_ordered() {
        let first = new_id();
        let second = new_id();
        assert_eq!(first.get_version_num(), 7);
        assert_ne!(first, second);
        assert!(first < second);
    }
}
