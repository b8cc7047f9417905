use clusterplay_e2e::Browser;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "look"]
async fn look() {
    let mut b = Browser::start("look", 1280).await;
    b.open("").await;
    b.click("play").await;
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    b.screenshot("first-visit-playing").await;
    b.js("document.querySelector(\"[data-testid='catalogue']\").open = true; return true")
        .await;
    b.scroll_to("catalogue").await;
    b.screenshot("catalogue").await;
    b.close().await;
    let mut p = Browser::start_phone("look-phone", 390).await;
    p.js("localStorage.setItem('clusterplay.lang', 'zh'); return true")
        .await;
    p.open("p=2pc-seed-tshirt").await;
    p.click("play").await;
    tokio::time::sleep(std::time::Duration::from_millis(3000)).await;
    p.screenshot("zh-2pc").await;
    p.close().await;
}
