use super::*;

/// The walk relies on it: readings in BINARY order have non-decreasing keys.
#[test]
fn sort_keys_never_contradict_the_reading_order() {
    let alphabet: Vec<char> = "0aA々ぁあいかがさたはぱまやゃんゔゝゞ゠ァヴヶー・ヿ一高龠"
        .chars()
        .collect();
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut readings: Vec<String> = (0..20_000)
        .map(|_| {
            let len = (next() % 13) as usize;
            (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect()
        })
        .collect();
    readings.sort();
    for pair in readings.windows(2) {
        assert!(
            sort_key(&pair[0]) <= sort_key(&pair[1]),
            "{:?} {:?}",
            pair[0],
            pair[1]
        );
    }
    // Nine hiragana are told apart, so a common surname does not tie.
    assert!(sort_key("たかはしあきこ") < sort_key("たかはしいさむ"));
    assert!(sort_key("たかはしあきこ") > 0);
}

/// A store whose index was built by older code (version 0, here with the
/// grams gone) is rebuilt at open and searches as before.
#[tokio::test]
async fn a_stale_index_is_rebuilt_when_the_store_opens() {
    use crate::{OpenMode, StoreKey};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let key = StoreKey::generate();
    let store = Store::open_file(&path, &key, OpenMode::CreateNew)
        .await
        .unwrap();
    let fields = crate::test_support::yamada_fields();
    store
        .insert_patient(uuid::Uuid::now_v7(), &fields, "test", chrono::Utc::now())
        .await
        .unwrap();
    sqlx::query("DELETE FROM patient_grams; UPDATE search_index SET version = 0;")
        .execute(&store.pool)
        .await
        .unwrap();
    let search = PatientSearch {
        term: Some("ヤマダ".into()),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(store.search_patients(&search).await.unwrap().total, 0);
    store.close().await;

    let store = Store::open_file(&path, &key, OpenMode::ExistingOnly)
        .await
        .unwrap();
    let search = PatientSearch {
        term: Some(search_key("ヤマダ")),
        ..search
    };
    let page = store.search_patients(&search).await.unwrap();
    assert_eq!(page.patients.len(), 1);
    assert_eq!(page.total, 1);
}
