use clusterplay_e2e::Browser;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "look"]
async fn look() {
    let spec = std::env::var("LOOK").unwrap_or_default();
    let phone = std::env::var("PHONE").is_ok();
    let zh = std::env::var("ZH").is_ok();
    let mut b = if phone {
        Browser::start_phone("look", 390).await
    } else {
        Browser::start("look", 1280).await
    };
    for item in spec.split(';').filter(|s| !s.is_empty()) {
        let mut parts = item.split('|');
        let frag = parts.next().unwrap();
        let label = parts.next().unwrap_or("shot");
        let secs: f64 = parts.next().map_or(0.0, |s| s.parse().unwrap());
        b.open(frag).await;
        if zh {
            b.js("localStorage.setItem('clusterplay.lang','zh'); return 1")
                .await;
            b.open(frag).await;
            b.client.refresh().await.unwrap();
            b.wait_until("return !!document.querySelector('svg circle')")
                .await;
        }
        if secs < 0.0 {
            b.seek_to_end().await;
        } else if secs > 0.0 {
            b.js("document.querySelector('[data-testid=play]').click(); return 1")
                .await;
            tokio::time::sleep(std::time::Duration::from_secs_f64(secs)).await;
            b.js("document.querySelector('[data-testid=play]').click(); return 1")
                .await;
        }
        b.screenshot(label).await;
    }
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "look"]
async fn look_lesson() {
    let phone = std::env::var("PHONE").is_ok();
    let mut b = if phone {
        Browser::start_phone("lesson", 390).await
    } else {
        Browser::start("lesson", 1280).await
    };
    if std::env::var("ZH").is_ok() {
        b.open("").await;
        b.js("localStorage.setItem('clusterplay.lang','zh'); return 1")
            .await;
    }
    b.open("lesson=ra-worked-example").await;
    b.client.refresh().await.unwrap();
    b.wait_until("return !!document.querySelector('[data-testid=lesson]')")
        .await;
    b.scroll_to("lesson").await;
    b.screenshot("stop1").await;
    b.click("lesson-choice-2").await;
    b.screenshot("wrong").await;
    b.click("lesson-next").await;
    b.wait_until("return !!document.querySelector('[data-testid=lesson-question]')")
        .await;
    b.scroll_to("lesson").await;
    b.screenshot("stop2").await;
    b.click("lesson-choice-1").await;
    b.click("lesson-next").await;
    b.wait_until("return !!document.querySelector('[data-testid=lesson-question]')")
        .await;
    b.click("lesson-choice-2").await;
    b.click("lesson-next").await;
    b.scroll_to("lesson").await;
    b.screenshot("task").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "look"]
async fn look_more() {
    let mut b = Browser::start("more", 1280).await;
    b.open("lesson=2pc-tshirt-order").await;
    b.click("lesson-choice-0").await;
    b.js("window.scrollTo(0, 0); return 1").await;
    b.screenshot("2pc-lesson").await;
    b.open("p=replication-sync-partition").await;
    b.js("document.querySelector('details.how').open = true; document.querySelector('[data-testid=availability]').scrollIntoView(); return 1").await;
    b.screenshot("availability").await;
    b.open("p=mutex-ra-seed").await;
    b.js("document.querySelector('[data-testid=lessons-box]').open = true; document.querySelector('[data-testid=lessons-box]').scrollIntoView(); return 1").await;
    b.screenshot("lessons-list").await;
    b.close().await;
}
