use clusterplay_e2e::Browser;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "throwaway"]
async fn tour() {
    let only = std::env::var("ONLY").unwrap_or_default();
    let mut b = Browser::start("tour", 1280).await;
    for p in clusterplay_scenario::presets() {
        if !only.is_empty() && !only.split(',').any(|o| p.id == o) {
            continue;
        }
        b.open_preset(&p.id).await;
        b.seek_to_end().await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        b.screenshot(&p.id).await;
    }
    b.close().await;
}
