//! The HTML report in a real browser: headless Chromium loads `regpath report F.html` with a
//! probe script added, which records every chart's rendered box, the page's width in a 1280-px
//! window and any script error; Chromium's console log (stderr) is read too.
//!
//! Without Chromium (Debian's `chromium`; `scripts/test` installs it) the test fails when
//! REGPATH_REQUIRE_BROWSER=1 and otherwise prints that it was skipped.

mod common;

use common::{regpath, s};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The window the report must fit.
const WIDTH: u64 = 1280;

/// A fresh directory for one test.
fn tmp(name: &str) -> PathBuf {
    common::fresh_dir(&format!("browser-{name}"))
}

/// Chromium: REGPATH_CHROMIUM, or the first of the usual names on the PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("REGPATH_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .flat_map(|name| std::env::split_paths(&path).map(move |d| d.join(name)))
    .find(|p| p.is_file())
}

/// Caught before the page's own scripts run: errors and console.error calls.
const HEAD_PROBE: &str = "<script>window.__errors=[];\
window.addEventListener('error',function(e){__errors.push(String(e.message))});\
(function(){var f=console.error;console.error=function(){__errors.push([].join.call(arguments,' '));f.apply(console,arguments)}})();\
</script>";

/// Run once the page has loaded: the layout the browser computed, as JSON in `#regpath-probe`.
const BODY_PROBE: &str = "<script>window.addEventListener('load',function(){\
var box=function(e){var r=e.getBoundingClientRect();return {w:r.width,h:r.height,right:r.right,nodes:e.querySelectorAll('*').length}};\
var out={inner:window.innerWidth,scroll:document.documentElement.scrollWidth,\
svgs:[].map.call(document.querySelectorAll('body svg'),box),\
tables:[].map.call(document.querySelectorAll('table'),function(t){return t.parentElement.getBoundingClientRect().right}),\
errors:window.__errors};\
var m=document.getElementById('matched');\
if(m){var ids=function(){return [].map.call(m.tBodies[0].rows,function(r){return r.cells[0].textContent})};\
var th=m.tHead.rows[0].cells;out.sort={before:ids()};th[1].click();out.sort.asc=ids();\
th[1].click();out.sort.desc=ids();th[0].click();out.sort.by_case=ids();\
out.sort.hooks=[].filter.call(m.tBodies[0].querySelectorAll('td'),function(c){return c.hasAttribute('data-sort')}).length}\
var p=document.createElement('pre');p.id='regpath-probe';p.textContent=JSON.stringify(out);document.body.appendChild(p)});</script>";

/// What the browser saw of one page.
struct Seen {
    probe: Value,
    /// Console messages from Chromium's log.
    console: Vec<String>,
}

/// Loads `page` (an HTML file) with the probes in headless Chromium in a WIDTH × 900 window.
fn render(browser: &Path, page: &Path, dir: &Path) -> Seen {
    let html = std::fs::read_to_string(page).unwrap();
    assert!(
        html.contains("<head>") && html.contains("</body>"),
        "{html}"
    );
    let probed = html
        .replacen("<head>", &format!("<head>{HEAD_PROBE}"), 1)
        .replacen("</body>", &format!("{BODY_PROBE}</body>"), 1);
    let file = dir.join(format!(
        "probed-{}",
        page.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&file, probed).unwrap();
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--disable-dev-shm-usage",
            &format!("--window-size={WIDTH},900"),
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", file.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    // read both pipes on threads so a full pipe never stalls the browser
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut v).map(|_| v)
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut v).map(|_| v)
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish {} in 120 s", page.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let dom = String::from_utf8_lossy(&out.join().unwrap().unwrap()).into_owned();
    let log = String::from_utf8_lossy(&err.join().unwrap().unwrap()).into_owned();
    assert!(status.success(), "chromium: {status}\n{log}");
    let json = dom
        .split_once("<pre id=\"regpath-probe\">")
        .and_then(|(_, rest)| rest.split_once("</pre>"))
        .map(|(j, _)| {
            j.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .unwrap_or_else(|| panic!("the probe did not run in {}:\n{log}", page.display()));
    Seen {
        probe: serde_json::from_str(&json).unwrap(),
        // Chromium logs a page's console messages as `…:INFO:CONSOLE…] "message", source: …`
        console: log
            .lines()
            .filter(|l| l.contains(":CONSOLE"))
            .map(str::to_string)
            .collect(),
    }
}

/// What is wrong with a rendered page: a missing or empty chart, a page wider than the window,
/// a script error, a console message.
fn problems(seen: &Seen, charts: usize) -> Vec<String> {
    let p = &seen.probe;
    let mut out = Vec::new();
    let num = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
    let inner = num(&p["inner"]);
    if inner != WIDTH as f64 {
        out.push(format!("the window is {inner} px wide, not {WIDTH}"));
    }
    if num(&p["scroll"]) > inner {
        out.push(format!(
            "the page is {} px wide in a {inner}-px window",
            p["scroll"]
        ));
    }
    let svgs = p["svgs"].as_array().unwrap();
    if svgs.len() != charts {
        out.push(format!(
            "{} charts in the DOM, {charts} in the file",
            svgs.len()
        ));
    }
    for (i, b) in svgs.iter().enumerate() {
        if !(num(&b["w"]) > 100.0 && num(&b["h"]) > 100.0 && num(&b["nodes"]) > 10.0) {
            out.push(format!("chart {i} did not render: {b}"));
        }
        if num(&b["right"]) > inner {
            out.push(format!("chart {i} ends at {} px", b["right"]));
        }
    }
    for (i, right) in p["tables"].as_array().unwrap().iter().enumerate() {
        if num(right) > inner {
            out.push(format!("table {i} ends at {right} px"));
        }
    }
    for e in p["errors"].as_array().unwrap() {
        out.push(format!("script error: {e}"));
    }
    for line in &seen.console {
        out.push(format!("console: {line}"));
    }
    out
}

#[test]
fn item_05_the_html_report_renders_in_headless_chromium_within_1280_px() {
    let Some(browser) = chromium() else {
        let why =
            "no chromium on the PATH (Debian: apt-get install chromium; scripts/test installs it)";
        if std::env::var("REGPATH_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("REGPATH_REQUIRE_BROWSER=1 and {why}");
        }
        // past the test harness's capture, so the skip shows in `cargo test`'s output
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED item_05_the_html_report_renders_in_headless_chromium_within_1280_px: {why}"
        );
        return;
    };
    let dir = tmp("report");

    // the probe itself catches what it must: a chart wider than the window and script errors
    let bad = dir.join("bad.html");
    std::fs::write(
        &bad,
        "<!DOCTYPE html><html><head></head><body><svg width=\"1500\" height=\"200\"><rect width=\"1500\" height=\"200\"/></svg>\
         <script>console.error('boom'); no_such_function();</script></body></html>",
    )
    .unwrap();
    let found = problems(&render(&browser, &bad, &dir), 2).join("\n");
    for needle in [
        "1 charts in the DOM, 2",
        "did not render",
        "ends at",
        "px wide in a",
        "boom",
        "no_such_function",
        "console:",
    ] {
        assert!(found.contains(needle), "{needle:?} not found in:\n{found}");
    }

    // a fresh results file of every kind of case, and the committed quick suite (GPU rows,
    // ladders, the widest charts)
    let tiny = dir.join("tiny.json");
    regpath(&[
        "bench --suite tiny --solvers cpu-cd --runs 1 --out",
        s(&tiny),
    ])
    .expect(0);
    let quick = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../results/quick-lavapipe.json");
    for results in [tiny, quick] {
        let page = dir.join(format!(
            "{}.html",
            results.file_stem().unwrap().to_string_lossy()
        ));
        regpath(&["report", s(&results), "--out", s(&page)]).expect(0);
        let html = std::fs::read_to_string(&page).unwrap();
        let charts = html.matches("<svg").count();
        assert!(charts >= 2, "{charts} charts in {}", page.display());
        let seen = render(&browser, &page, &dir);
        let found = problems(&seen, charts);
        assert!(
            found.is_empty(),
            "{}:\n{}\nprobe: {}",
            page.display(),
            found.join("\n"),
            seen.probe
        );
    }
}

#[test]
fn item_03_the_matched_accuracy_table_sorts_by_a_clicked_column() {
    let Some(browser) = chromium() else {
        let why =
            "no chromium on the PATH (Debian: apt-get install chromium; scripts/test installs it)";
        if std::env::var("REGPATH_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("REGPATH_REQUIRE_BROWSER=1 and {why}");
        }
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED item_03_the_matched_accuracy_table_sorts_by_a_clicked_column: {why}"
        );
        return;
    };
    let dir = tmp("sort");
    let results = dir.join("tiny.json");
    regpath(&[
        "bench --suite tiny --solvers cpu-cd --runs 1 --tols 1e-3 --cases lasso/ --out",
        s(&results),
    ])
    .expect(0);
    // hand-set ladders: the 1e-3 column must sort 1 s, 3 s, then the case that reaches no level
    let mut file: Value =
        serde_json::from_str(&std::fs::read_to_string(&results).unwrap()).unwrap();
    let cases = file["cases"].as_array_mut().unwrap();
    assert!(cases.len() >= 2, "{cases:?}");
    let point = |s: f64, subopt: Value| {
        serde_json::json!({"tol": 1e-3, "times": [s],
            "seconds": {"median": s, "min": s, "max": s, "runs": 1},
            "max_rel_subopt": subopt, "max_gap": 1e-9, "nnz_end": 1,
            "counters": {"epochs": 1, "submits": 0, "readbacks": 0, "x_passes": 0}})
    };
    let mut third = cases[0].clone();
    third["id"] = "lasso/zzz/n1/p1/cpu-cd/f64".into();
    third["dataset"]["kind"] = "zzz".into();
    third["ladder"] = serde_json::json!([point(0.5, Value::Null)]);
    cases[0]["ladder"] = serde_json::json!([point(3.0, 1e-9.into())]);
    cases[1]["ladder"] = serde_json::json!([point(1.0, 1e-9.into())]);
    let (a, b) = (s_of(&cases[0]["id"]), s_of(&cases[1]["id"]));
    // the unreached case first in the file, so sorting must move it
    cases.insert(0, third);
    cases.truncate(3);
    std::fs::write(&results, serde_json::to_string(&file).unwrap()).unwrap();
    let page = dir.join("sort.html");
    regpath(&["report", s(&results), "--out", s(&page)]).expect(0);
    let seen = render(&browser, &page, &dir);
    let charts = std::fs::read_to_string(&page)
        .unwrap()
        .matches("<svg")
        .count();
    let found = problems(&seen, charts);
    assert!(found.is_empty(), "{}", found.join("\n"));
    let sort = &seen.probe["sort"];
    let ids = |k: &str| -> Vec<String> {
        sort[k]
            .as_array()
            .unwrap_or_else(|| panic!("no {k} in {sort}"))
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    let none = "lasso/zzz/n1/p1/cpu-cd/f64".to_string();
    assert_eq!(ids("before")[0], none, "{sort}");
    assert_eq!(ids("asc"), [b.clone(), a.clone(), none.clone()], "{sort}");
    assert_eq!(ids("desc"), [a.clone(), b.clone(), none.clone()], "{sort}");
    let mut by_case = ids("before");
    by_case.sort();
    assert_eq!(ids("by_case"), by_case, "{sort}");
    assert_eq!(
        sort["hooks"], 12,
        "every level cell carries its sort key: {sort}"
    );
}

fn s_of(v: &Value) -> String {
    v.as_str().unwrap().to_string()
}
