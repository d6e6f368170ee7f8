//! End-to-end tests of `--plot` for `path` and `cv`: the SVG is well-formed XML with readable
//! alpha ticks, glmnet's top axis of non-zero counts (checked against the path's JSON), the
//! largest features labelled by index or by their CSV column names; a PNG decodes to the figure's
//! size and is not blank; any other extension is refused before the solve.

mod common;

use common::{read_json, regpath, s};
use std::collections::HashSet;
use std::path::PathBuf;

/// A fresh directory for one test.
fn tmp(name: &str) -> PathBuf {
    common::fresh_dir(&format!("plots-{name}"))
}

/// Checks that `svg` is well-formed XML as far as a plot needs: one root element, every tag
/// closed in order, attributes quoted, no stray `<` or `&` in text.
fn well_formed(svg: &str) -> Result<(), String> {
    let body = svg.trim();
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = body;
    let mut roots = 0;
    while let Some(i) = rest.find('<') {
        let text = &rest[..i];
        if text.contains('>') {
            return Err(format!("stray '>' in text {text:?}"));
        }
        for (k, _) in text.match_indices('&') {
            let entity = &text[k..];
            let ok = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#"]
                .iter()
                .any(|e| entity.starts_with(e));
            if !ok {
                return Err(format!("unescaped '&' in {text:?}"));
            }
        }
        rest = &rest[i..];
        if rest.starts_with("<?") || rest.starts_with("<!--") {
            let end = if rest.starts_with("<?") { "?>" } else { "-->" };
            let j = rest.find(end).ok_or("unclosed declaration or comment")?;
            rest = &rest[j + end.len()..];
            continue;
        }
        // the tag's end: the first '>' outside a quoted attribute value
        let mut quote = None;
        let mut end = None;
        for (k, c) in rest.char_indices().skip(1) {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '<') => return Err(format!("'<' inside a tag: {:?}", &rest[..k])),
                (None, '>') => {
                    end = Some(k);
                    break;
                }
                _ => {}
            }
        }
        let end = end.ok_or("unclosed tag")?;
        let tag = &rest[1..end];
        if let Some(name) = tag.strip_prefix('/') {
            match stack.pop() {
                Some(open) if open == name.trim() => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
        } else {
            let name = tag
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or("");
            if name.is_empty() {
                return Err(format!("a tag without a name: <{tag}>"));
            }
            if stack.is_empty() {
                roots += 1;
            }
            if !tag.ends_with('/') {
                stack.push(name);
            }
        }
        rest = &rest[end + 1..];
    }
    if !stack.is_empty() {
        return Err(format!("unclosed elements {stack:?}"));
    }
    if roots != 1 || !body.starts_with("<svg") && !body.starts_with("<?xml") {
        return Err(format!("{roots} root elements, or the root is not <svg>"));
    }
    Ok(())
}

/// The text of every `<text>` element of an SVG.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>'))
        .map(|(_, rest)| {
            rest.split("</text>")
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        })
        .collect()
}

/// Width, height and the number of distinct colours of a PNG file.
fn png_facts(path: &std::path::Path) -> (u32, u32, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let bytes = &buf[..info.buffer_size()];
    let step = info.color_type.samples();
    let colours: HashSet<&[u8]> = bytes.chunks(step).collect();
    (info.width, info.height, colours.len())
}

#[test]
fn checker_refuses_broken_svg() {
    assert!(well_formed("<svg><text>a</text></svg>").is_ok());
    assert!(well_formed("<svg><text>a</svg>").is_err());
    assert!(well_formed("<svg><text>a & b</text></svg>").is_err());
    assert!(well_formed("<svg/><svg/>").is_err());
}

#[test]
fn path_plot_svg_has_readable_ticks_nnz_axis_and_labels() {
    let dir = tmp("path-svg");
    let (json, svg) = (dir.join("path.json"), dir.join("path.svg"));
    regpath(&[
        "path --synthetic gene --n 80 --p 60 --out",
        s(&json),
        "--plot",
        s(&svg),
    ])
    .expect(0);
    let plot = std::fs::read_to_string(&svg).unwrap();
    well_formed(&plot).unwrap();
    let t = texts(&plot);
    let has = |label: &str| t.iter().any(|l| l == label);
    // log ticks as powers of ten, never "1.0e0"-style
    assert!(
        t.iter().any(|l| l.starts_with("10") && l.contains('⁻')),
        "{t:?}"
    );
    assert!(
        t.iter().all(|l| !l.contains("e0") && !l.contains("e-")),
        "{t:?}"
    );
    // the top axis: its caption, the path's first and last nnz, and only counts the path has
    let path = read_json(&json);
    let alphas = path["alphas"].as_array().unwrap();
    let nnz: HashSet<String> = alphas
        .iter()
        .map(|a| a["nnz"].as_u64().unwrap().to_string())
        .collect();
    assert!(has("non-zero coefficients"), "{t:?}");
    let first = alphas[0]["nnz"].as_u64().unwrap().to_string();
    let last = alphas.last().unwrap()["nnz"].as_u64().unwrap().to_string();
    assert!(has(&first) && has(&last), "nnz {first} and {last} in {t:?}");
    // the counts are drawn just before their caption: each is a count the path has
    let caption = t.iter().position(|l| l == "non-zero coefficients").unwrap();
    let top: Vec<&String> = t[..caption]
        .iter()
        .rev()
        .take_while(|l| l.parse::<usize>().is_ok())
        .collect();
    assert!(top.len() >= 5, "{top:?}");
    assert!(top.iter().all(|c| nnz.contains(*c)), "{top:?} vs {nnz:?}");
    // the 8 largest |coef| at the smallest alpha are labelled x<j>
    let end = alphas.last().unwrap();
    let mut coef: Vec<(usize, f64)> =
        match (&end["coefficients"], end["coefficients"].get("indices")) {
            (_, Some(idx)) => idx
                .as_array()
                .unwrap()
                .iter()
                .zip(end["coefficients"]["values"].as_array().unwrap())
                .map(|(j, v)| (j.as_u64().unwrap() as usize, v.as_f64().unwrap()))
                .collect(),
            (dense, None) => dense
                .as_array()
                .unwrap()
                .iter()
                .enumerate()
                .map(|(j, v)| (j, v.as_f64().unwrap()))
                .collect(),
        };
    coef.retain(|c| c.1 != 0.0);
    coef.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
    assert!(
        coef.len() > 8,
        "the test needs more than 8 features at the end"
    );
    for (j, _) in &coef[..8] {
        assert!(has(&format!("x{j}")), "x{j} labelled: {t:?}");
    }
    for (j, _) in &coef[9..] {
        assert!(!has(&format!("x{j}")), "x{j} not labelled: {t:?}");
    }
}

#[test]
fn path_plot_labels_features_by_csv_column_names() {
    let dir = tmp("path-csv");
    let names = ["age", "bmi", "blood_pressure", "s1", "s2", "s3"];
    let (n, p) = (40, names.len());
    let mut x = names.join(",") + "\n";
    let mut y = String::from("target\n");
    for i in 0..n {
        // deterministic, well-conditioned columns; y depends on all of them
        let row: Vec<f64> = (0..p)
            .map(|j| (((i * 7 + j * 13) % 17) as f64 - 8.0) / 4.0 + (i * j % 5) as f64 * 0.1)
            .collect();
        let target: f64 = row
            .iter()
            .enumerate()
            .map(|(j, v)| (j as f64 + 1.0) * v)
            .sum::<f64>()
            + ((i * 31) % 7) as f64 * 0.05;
        x += &(row
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join(",")
            + "\n");
        y += &format!("{target}\n");
    }
    let (xp, yp, svg) = (dir.join("X.csv"), dir.join("y.csv"), dir.join("path.svg"));
    std::fs::write(&xp, x).unwrap();
    std::fs::write(&yp, y).unwrap();
    regpath(&["path --x", s(&xp), "--y", s(&yp), "--plot", s(&svg)]).expect(0);
    let plot = std::fs::read_to_string(&svg).unwrap();
    well_formed(&plot).unwrap();
    let t = texts(&plot);
    for name in names {
        assert!(t.iter().any(|l| l == name), "{name} labelled: {t:?}");
    }
    assert!(!t.iter().any(|l| l == "x0"), "{t:?}");
}

#[test]
fn path_and_cv_plots_as_png_decode_and_are_not_blank() {
    let dir = tmp("png");
    let (path_png, cv_png) = (dir.join("path.png"), dir.join("cv.PNG"));
    regpath(&["path --synthetic gene --n 60 --p 40 --plot", s(&path_png)]).expect(0);
    regpath(&[
        "cv --synthetic gene --n 60 --p 40 --folds 3 --plot",
        s(&cv_png),
    ])
    .expect(0);
    for f in [&path_png, &cv_png] {
        let (w, h, colours) = png_facts(f);
        assert_eq!((w, h), (1000, 660), "{}", f.display());
        // white, black text, grey grid, coloured lines, anti-aliased edges
        assert!(colours >= 8, "{}: {colours} colours", f.display());
    }
}

#[test]
fn other_plot_extensions_are_refused_before_the_solve() {
    let dir = tmp("ext");
    let jpg = dir.join("path.jpg");
    for cmd in ["path", "cv"] {
        regpath(&[cmd, "--synthetic gene --n 60 --p 40 --plot", s(&jpg)])
            .expect_saying(2, &["--plot", "path.jpg", ".svg or .png"]);
    }
    assert!(!jpg.exists());
}

#[test]
fn cv_plot_svg_is_well_formed_with_readable_ticks() {
    let dir = tmp("cv-svg");
    let (svg, json) = (dir.join("cv.svg"), dir.join("cv.json"));
    regpath(&[
        "cv --synthetic gene --n 60 --p 40 --folds 3 --plot",
        s(&svg),
        "--out",
        s(&json),
    ])
    .expect(0);
    let plot = std::fs::read_to_string(&svg).unwrap();
    well_formed(&plot).unwrap();
    let t = texts(&plot);
    // glmnet's top axis: the caption and the refit's first and last nnz counts from the JSON
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let nnz = doc["nnz"].as_array().unwrap();
    assert!(t.iter().any(|l| l == "non-zero coefficients"), "{t:?}");
    for count in [&nnz[0], nnz.last().unwrap()] {
        assert!(
            t.contains(&count.as_u64().unwrap().to_string()),
            "{count} in {t:?}"
        );
    }
    assert!(
        t.iter().any(|l| l.starts_with("10") && l.contains('⁻')),
        "{t:?}"
    );
    assert!(t.iter().any(|l| l.starts_with("alpha_min ")), "{t:?}");
    assert!(t.iter().any(|l| l.starts_with("alpha_1se ")), "{t:?}");
}
