//! End-to-end tests of the `regpath` binary: check, bench (resume), compare, report.

mod common;

use common::{assert_contains, gpu_present, read_json, regpath, regpath_env, s};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// A fresh directory for one test.
fn tmp(name: &str) -> PathBuf {
    common::fresh_dir(&format!("cli-{name}"))
}

/// Seconds of a case whose runs all took one second.
const ONE_S: [f64; 3] = [1.0, 1.0, 1.0];

fn case(id: &str, precision: &str, times: [f64; 3], gap: f64) -> Value {
    json!({
        "id": id,
        "dataset": {"kind": "gene", "n": 100, "p": 1000, "rho": 0.5, "seed": 0},
        "problem": {"loss": "squared", "l1_ratio": 1.0, "n_alphas": 100, "eps": 1e-3},
        "solver": "cpu-cd",
        "precision": precision,
        "seconds": {"min": times[0], "median": times[1], "max": times[2], "runs": 3},
        "agreement": {"max_rel_subopt": 1e-9, "max_gap": gap, "min_support_jaccard": 1.0},
        "counters": {"epochs": 100, "submits": 0, "readbacks": 0, "x_passes": 0}
    })
}

fn results(cases: Vec<Value>) -> Value {
    json!({
        "schema": "regpath.results/1",
        "suite": "quick",
        "created": "2026-01-01T00:00:00Z",
        "git_commit": null,
        "environment": {
            "cpu": "test cpu", "threads": 2, "os": "linux",
            "adapter": null, "versions": {"regpath": "0.1.0"}
        },
        "cases": cases
    })
}

fn write(dir: &Path, name: &str, v: &Value) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_vec_pretty(v).unwrap()).unwrap();
    p
}

/// `results` of `cases`, written to `dir/name`.
fn write_cases(dir: &Path, name: &str, cases: impl Into<Vec<Value>>) -> PathBuf {
    write(dir, name, &results(cases.into()))
}

/// `results` of one f64 case `id` (one second a run, gap 1e-8), written to `dir/name`.
fn write_one(dir: &Path, name: &str, id: &str) -> PathBuf {
    write_cases(dir, name, [case(id, "f64", ONE_S, 1e-8)])
}

/// `results` of one case from another CPU.
fn from_another_cpu(case: Value) -> Value {
    let mut v = results(vec![case]);
    v["environment"]["cpu"] = json!("another cpu");
    v
}

#[test]
fn check_quick_passes() {
    let dir = tmp("check");
    let json = dir.join("check.json");
    let out = regpath(&["check --quick --json", s(&json)]).expect(0);
    assert_contains(&out, &["cpu-cd/f64", "cpu-fista/f64"]);
    assert!(out.contains("lasso") && out.contains("enet(0.5)") && out.contains("ridge"));
    // CI installs lavapipe and sets REGPATH_REQUIRE_GPU=1: the GPU solvers must run there.
    if std::env::var("REGPATH_REQUIRE_GPU").as_deref() == Ok("1") {
        for solver in ["gpu-cd/f32", "gpu-fista/f32"] {
            assert!(
                out.contains(solver),
                "no {solver} rows with REGPATH_REQUIRE_GPU=1:\n{out}"
            );
        }
    }
    let v = read_json(&json);
    assert_eq!(v["schema"], "regpath.check/1");
    assert_eq!(v["failed"], 0);
    assert!(v["rows"].as_array().unwrap().len() >= 30);
}

/// `check --json` alone: the JSON document alone on stdout, the text table on stderr.
#[test]
fn check_json_alone_prints_the_document_on_stdout() {
    let out = regpath(&["check --quick --json --solvers cpu-cd,cpu-fista --alphas 5"]);
    let text = out.expect(0);
    let v: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert_eq!(v["schema"], "regpath.check/1");
    assert_eq!(v["failed"], 0);
    assert_eq!(v["n_alphas"], 5);
    let rows = v["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(out.stderr.contains("cpu-fista/f64"), "{}", out.stderr);
}

#[test]
fn compare_flags_a_regression_beyond_the_noise_band() {
    let dir = tmp("compare-regression");
    let base = [
        case("a/cpu-cd/f64", "f64", [1.0, 1.1, 1.2], 1e-8),
        case("b/cpu-cd/f64", "f64", [1.0, 1.1, 1.2], 1e-8),
        case("only-base", "f64", ONE_S, 1e-8),
    ];
    let new = [
        // min 1.4 > base max 1.2 × 1.1: a regression.
        case("a/cpu-cd/f64", "f64", [1.4, 1.5, 1.6], 1e-8),
        // median 36% slower, but min 1.3 ≤ 1.32: noise.
        case("b/cpu-cd/f64", "f64", [1.3, 1.5, 1.7], 1e-8),
        case("only-new", "f64", ONE_S, 1e-8),
    ];
    let base = write_cases(&dir, "base.json", base);
    let new = write_cases(&dir, "new.json", new);
    let out = regpath(&["compare", s(&base), s(&new)]).expect(1);
    assert_contains(
        &out,
        &["NEW.min > BASE.max × 1.1", "REGRESSION a/cpu-cd/f64"],
    );
    assert!(!out.contains("REGRESSION b/cpu-cd/f64"), "{out}");
    assert_contains(&out, &["slower (noise)", "only in BASE (1)", "only-base"]);
    assert_contains(&out, &["only in NEW (1)", "only-new"]);

    // A looser threshold turns the regression into noise; the BASE case missing from NEW still
    // fails the gate unless it is allowed.
    let looser = ["compare", s(&base), s(&new), "--max-slowdown 1.5"];
    regpath(&looser).expect_saying(1, &["1 BASE case is missing from NEW"]);
    regpath(&[&looser[..], &["--allow-missing"]].concat()).expect(0);
}

#[test]
fn item_09_compare_of_nothing_paired_fails_with_exit_1() {
    let dir = tmp("compare-nothing");
    let base = write_one(&dir, "base.json", "a/cpu-cd/f64");
    let empty = write_cases(&dir, "empty.json", []);
    let other = write_one(&dir, "other.json", "b/cpu-cd/f64");
    for (new, why) in [(&empty, "has no cases"), (&other, "nothing was compared")] {
        regpath(&["compare", s(&base), s(new), "--allow-missing"]).expect_saying(1, &[why]);
    }
}

#[test]
fn compare_across_machines_gates_work_not_timings() {
    let dir = tmp("compare-machines");
    let base = write_one(&dir, "base.json", "a/cpu-cd/f64");
    // NEW from another CPU, 3× slower: timings are not compared, so no regression
    let slower = from_another_cpu(case("a/cpu-cd/f64", "f64", [3.0, 3.0, 3.0], 1e-8));
    let slower = write(&dir, "slower.json", &slower);
    let out = regpath(&["compare", s(&base), s(&slower)]).expect(0);
    assert_contains(&out, &["timings not compared", "another cpu"]);
    regpath(&["compare", s(&base), s(&slower), "--require-same-env"]).expect(1);
    // ... but more work (epochs 100 → 150) is a regression on any machine
    let mut more = from_another_cpu(case("a/cpu-cd/f64", "f64", ONE_S, 1e-8));
    more["cases"][0]["counters"]["epochs"] = json!(150);
    let more = write(&dir, "more.json", &more);
    regpath(&["compare", s(&base), s(&more)])
        .expect_saying(1, &["REGRESSION a/cpu-cd/f64: epochs 100 → 150"]);
}

#[test]
fn compare_fails_on_an_agreement_failure_in_new() {
    let dir = tmp("compare-agreement");
    let base = write_one(&dir, "base.json", "a");
    let new = write_cases(&dir, "new.json", [case("a", "f64", ONE_S, 1e-3)]);
    regpath(&["compare", s(&base), s(&new)]).expect_saying(1, &["DISAGREES a: gap 1.0e-3"]);
    // f32 cases are held to f32 thresholds: a gap of 5e-5 passes there.
    let new32 = write_cases(&dir, "new32.json", [case("a", "f32", ONE_S, 5e-5)]);
    regpath(&["compare", s(&base), s(&new32)]).expect(0);
}

#[test]
fn compare_rejects_bad_files_with_exit_2() {
    let dir = tmp("compare-bad");
    let good = write_one(&dir, "good.json", "a");

    let mut wrong = results(vec![]);
    wrong["schema"] = json!("regpath.results/0");
    let wrong = write(&dir, "wrong.json", &wrong);
    regpath(&["compare", s(&good), s(&wrong)]).expect_saying(2, &["wrong.json", "schema"]);

    let full = serde_json::to_string(&results(vec![case("a", "f64", ONE_S, 1e-8)])).unwrap();
    let cut = dir.join("truncated.json");
    std::fs::write(&cut, &full[..full.len() / 2]).unwrap();
    regpath(&["compare", s(&cut), s(&good)]).expect_saying(2, &["truncated.json is truncated"]);

    let mut missing = results(vec![case("a", "f64", ONE_S, 1e-8)]);
    let seconds = missing["cases"][0]["seconds"].as_object_mut().unwrap();
    seconds.remove("median");
    let missing = write(&dir, "missing.json", &missing);
    let place = ["missing.json at `cases[0].seconds`", "`median`"];
    regpath(&["compare", s(&good), s(&missing)]).expect_saying(2, &place);

    let absent = dir.join("absent.json");
    regpath(&["compare", s(&good), s(&absent)]).expect_saying(2, &["absent.json"]);

    regpath(&["compare", s(&good), s(&good), "--max-slowdown -1"]).expect(2);
}

#[test]
fn item_04_bench_writes_results_and_resume_skips_finished_cases() {
    let dir = tmp("bench");
    let out = dir.join("tiny.json");
    let a = [
        "bench --suite tiny --solvers cpu-cd --runs 1 --out",
        s(&out),
    ];
    regpath(&a).expect(0);
    let first = read_json(&out);
    assert_eq!(first["schema"], "regpath.results/2");
    assert_eq!(first["suite"], "tiny");
    let cases = first["cases"].as_array().unwrap();
    let ids: Vec<&str> = cases.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "lasso/regression/n40/p20/cpu-cd/f64",
            "lasso/gene/n30/p60/cpu-cd/f64",
            "logistic/classification/n60/p40/cpu-cd/f64",
            "cv5/lasso/gene/n60/p20/cpu-cd/f64"
        ]
    );
    // The logistic lasso path: its own loss, data kind and grid.
    assert_eq!(cases[2]["problem"]["loss"], "logistic");
    assert_eq!(cases[2]["problem"]["eps"], 1e-2);
    assert_eq!(cases[2]["dataset"]["kind"], "classification");
    // The cross-validation: the lasso problem, and what it chose next to the reference's choice.
    assert_eq!(cases[3]["problem"]["loss"], "squared");
    assert_eq!(cases[3]["cv"]["folds"], 5);
    for key in ["alpha_min", "alpha_1se", "reference_alpha_min"] {
        assert!(cases[3]["cv"][key].as_f64().unwrap() > 0.0, "{}", cases[3]);
    }
    assert_eq!(
        cases[3]["cv"]["alpha_min"],
        cases[3]["cv"]["reference_alpha_min"]
    );
    assert!(cases[..3].iter().all(|c| c.get("cv").is_none()));
    // Path cases carry the tolerance ladder (f64: 1e-3, 1e-5, 1e-7), loosest first, ending at
    // the case's own point; a tighter tolerance buys at least the accuracy of a looser one
    // (within the reference's own error).
    for c in &cases[..3] {
        let ladder = c["ladder"].as_array().unwrap();
        let tols: Vec<f64> = ladder.iter().map(|p| p["tol"].as_f64().unwrap()).collect();
        assert_eq!(tols, [1e-3, 1e-5, 1e-7], "{c}");
        let last = &ladder[2];
        assert_eq!(last["seconds"], c["seconds"]);
        assert_eq!(last["max_rel_subopt"], c["agreement"]["max_rel_subopt"]);
        for w in ladder.windows(2) {
            let (loose, tight) = (
                w[0]["max_rel_subopt"].as_f64().unwrap(),
                w[1]["max_rel_subopt"].as_f64().unwrap(),
            );
            assert!(tight <= loose.max(0.0) + 1e-9, "{c}");
            assert!(
                w[1]["max_gap"].as_f64().unwrap() <= w[1]["tol"].as_f64().unwrap() * 10.0,
                "{c}"
            );
        }
        assert_eq!(ladder[0]["times"].as_array().unwrap().len(), 1);
    }
    assert!(cases[3].get("ladder").is_none(), "{}", cases[3]);
    for c in cases {
        for key in ["median", "min", "max", "runs"] {
            assert!(c["seconds"][key].is_number(), "{c}");
        }
        for key in ["max_rel_subopt", "max_gap", "min_support_jaccard"] {
            assert!(c["agreement"][key].is_number(), "{c}");
        }
        assert!(c["counters"]["epochs"].as_u64().unwrap() > 0);
    }
    assert!(first["environment"]["cpu"].is_string());
    assert!(first["environment"]["versions"]["regpath"].is_string());
    let created = first["created"].as_str().unwrap();
    assert!(created.len() == 20 && created.ends_with('Z'), "{created}");

    // Drop the last two cases, as if the sweep had been interrupted, and resume.
    let mut cut = first.clone();
    cut["cases"].as_array_mut().unwrap().truncate(2);
    std::fs::write(&out, serde_json::to_vec_pretty(&cut).unwrap()).unwrap();
    let resume = [a[0], a[1], "--resume"];
    let log = regpath(&resume).expect_saying(0, &["resuming: 2 finished cases kept"]);
    assert!(
        !log.contains("lasso/regression/n40/p20/cpu-cd/f64: median"),
        "{log}"
    );
    for id in [
        "logistic/classification/n60/p40/cpu-cd/f64",
        "cv5/lasso/gene/n60/p20/cpu-cd/f64",
    ] {
        assert!(log.contains(&format!("{id}: median")), "{log}");
    }
    let second = read_json(&out);
    assert_eq!(second["cases"].as_array().unwrap().len(), 4);
    assert_eq!(
        second["cases"][0], first["cases"][0],
        "the kept case is unchanged"
    );
    assert_eq!(second["created"], first["created"]);

    // Everything finished: a resume runs nothing.
    let log = regpath(&resume).text();
    assert_contains(&log, &["resuming: 4 finished cases kept"]);
    assert!(!log.contains(": median"), "{log}");

    // The tables as Markdown and CSV: one CSV row per path case and tolerance (3 path cases ×
    // 3 tolerances) plus one per cross-validation.
    let report = |name: &str| {
        let file = dir.join(name);
        regpath(&["report", s(&out), "--out", s(&file)]).expect(0);
        std::fs::read_to_string(&file).unwrap()
    };
    let md = report("tiny.md");
    assert_contains(
        &md,
        &["| case | ≤ 1e-3 |", "| lasso/gene/n30/p60/cpu-cd/f64 |"],
    );
    let csv = report("tiny.csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[0].starts_with("id,solver,precision,tol,median_s"),
        "{csv}"
    );
    assert_eq!(lines.len(), 1 + 3 * 3 + 1, "{csv}");
    assert!(
        lines.iter().skip(1).all(|l| l.split(',').count() == 14),
        "{csv}"
    );

    // compare pairs every case, the logistic and cross-validation ones included.
    let paired = ["4 paired cases", "cv5/lasso/gene/n60/p20/cpu-cd/f64"];
    regpath(&["compare", s(&out), s(&out)]).expect_saying(0, &paired);

    // The report of the file renders as SVG and HTML.
    let body = report("tiny.svg");
    assert!(
        body.starts_with("<svg") && body.contains("cpu-cd/f64"),
        "{body}"
    );
    let page = report("tiny.html");
    assert!(page.contains("<svg") && page.contains("lasso/gene/n30/p60/cpu-cd/f64"));
    assert!(page.contains("cv5/lasso/gene/n60/p20/cpu-cd/f64"));
}

#[test]
fn bench_cases_selects_by_id_and_skips_solvers_that_cannot_run_a_loss() {
    let dir = tmp("bench-cases");
    let out = dir.join("logistic.json");
    let select = "bench --suite tiny --solvers cpu-cd,cpu-fista --runs 1 --cases logistic/ --out";
    // A solver that cannot solve logistic loss is skipped with the reason, not failed.
    let log = regpath(&[select, s(&out)]).expect_saying(
        0,
        &["skipped logistic/classification/n60/p40/cpu-fista/f64: cpu-fista solves squared loss only"],
    );
    let v = read_json(&out);
    let ids: Vec<&str> = v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["logistic/classification/n60/p40/cpu-cd/f64"]);
    assert!(!log.contains("lasso/gene"), "{log}");

    regpath(&["bench --suite tiny --solvers cpu-cd --cases no-such-case"])
        .expect_saying(2, &["--cases no-such-case"]);
}

#[test]
fn bench_and_report_reject_bad_input_with_exit_2() {
    let dir = tmp("bad-input");
    regpath(&["bench --suite tiny --solvers cpu-lars"]).expect_saying(2, &["unknown solver"]);
    regpath(&["bench --suite tiny --solvers cpu-cd/f32"]).expect(2);
    regpath(&["bench --suite tiny --runs 0"]).expect(2);
    let nowhere = dir.join("no/such/dir/f.json");
    regpath(&["bench --suite tiny --out", s(&nowhere)]).expect(2);
    let garbage = dir.join("garbage.json");
    std::fs::write(&garbage, "{\"schema\": \"regpath.results/1\", \"suite\": 3").unwrap();
    let resume = [
        "bench --suite tiny --solvers cpu-cd --out",
        s(&garbage),
        "--resume",
    ];
    regpath(&resume).expect(2);
    let png = dir.join("r.png");
    regpath(&["report", s(&garbage), "--out", s(&png)]).expect_saying(2, &[".svg or .html"]);
}

#[test]
fn peers_without_python_are_skipped_not_failed() {
    let run = "bench --suite tiny --solvers cpu-cd --runs 1 --peers sklearn,glmnet";
    regpath_env(&[run], &[("REGPATH_PYTHON", "/nonexistent/python3")])
        .expect_saying(0, &["peers skipped: /nonexistent/python3 not found"]);
    regpath(&["bench --suite tiny --peers lars"]).expect(2);
}

/// `cv` on the GPU solves all folds in one batch on the full data's design (gpu-fista: squared
/// and logistic loss; gpu-cd: squared); the curve and chosen alphas must match cpu-cd's
/// fold-by-fold solves on each fold's own design.
#[test]
fn cv_on_the_gpu_in_one_batch_matches_cpu_cd() {
    if !gpu_present() {
        return;
    }
    let dir = tmp("cv-gpu");
    for extra in [
        "--synthetic gene",
        "--synthetic gene --standardize",
        "--synthetic gene --penalty enet --no-intercept",
        "--synthetic classification --loss logistic --standardize",
    ] {
        let mut curves = Vec::new();
        let logistic = extra.contains("logistic");
        let solvers: &[&str] = if logistic {
            &["cpu-cd", "gpu-fista"]
        } else {
            &["cpu-cd", "gpu-fista", "gpu-cd"]
        };
        for &solver in solvers {
            let out = dir.join(format!("{solver}.json"));
            let cv = "cv --n 63 --p 40 --folds 4 --alphas 15 --eps 1e-2 --solver";
            let mut args = vec![cv, solver, "--tol 1e-11 --out", s(&out)];
            if solver != "cpu-cd" {
                args.push("--precision f64");
            }
            args.push(extra);
            let o = regpath(&args);
            assert_eq!(o.code, Some(0), "{extra:?} {solver}: {}", o.text());
            curves.push(read_json(&out));
        }
        let cpu = &curves[0];
        for (gpu, solver) in curves[1..].iter().zip(&solvers[1..]) {
            for key in ["alpha_min", "alpha_1se", "nnz_at_alpha_min"] {
                assert_eq!(cpu[key], gpu[key], "{extra:?} {solver} {key}");
            }
            let mean = |v: &Value| -> Vec<f64> {
                v["mean"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m.as_f64().unwrap())
                    .collect()
            };
            // a gap of 1e-11 leaves coefficients ~√gap off: validation errors agree to ~1e-5
            for (a, (c, g)) in mean(cpu).iter().zip(mean(gpu)).enumerate() {
                assert!(
                    (c - g).abs() <= 1e-4 * c.abs(),
                    "{extra:?} {solver} alpha {a}: {c} vs {g}"
                );
            }
        }
    }
}

#[test]
fn item_05_09_bench_fails_rather_than_measuring_nothing_or_replacing_another_suite() {
    // a GPU solver asked for by name with no adapter (DX12 does not exist on this platform):
    // exit 3, as `path` and `cv`, not a results file with no cases
    let gpu_cd = "bench --suite tiny --solvers gpu-cd --runs 1";
    regpath_env(&[gpu_cd], &[("WGPU_BACKEND", "dx12")]).expect(3);
    // --out naming another suite's results (without --resume) is refused and left as it was
    let dir = tmp("bench-replace");
    let quick = write_one(&dir, "quick.json", "a/cpu-cd/f64");
    let before = std::fs::read(&quick).unwrap();
    let cpu_cd = "bench --suite tiny --solvers cpu-cd --runs 1 --out";
    regpath(&[cpu_cd, s(&quick)]).expect_saying(2, &["holds suite \"quick\""]);
    assert_eq!(std::fs::read(&quick).unwrap(), before);
}

#[test]
fn shards_split_a_sweep_disjointly_and_merge_joins_them() {
    let dir = tmp("shards");
    let mut ids: Vec<Vec<String>> = Vec::new();
    for k in 0..3 {
        let out = dir.join(format!("s{k}.json"));
        let shard = format!("{k}/3");
        let bench = "bench --suite tiny --solvers cpu-cd --runs 1 --tols 1e-7 --shard";
        regpath(&[bench, &shard, "--out", s(&out)]).expect(0);
        let v = read_json(&out);
        let cases = v["cases"].as_array().unwrap().iter();
        ids.push(
            cases
                .map(|c| c["id"].as_str().unwrap().to_string())
                .collect(),
        );
    }
    let mut all: Vec<String> = ids.concat();
    all.sort();
    let before = all.len();
    all.dedup();
    assert_eq!(before, all.len(), "a case in two shards: {ids:?}");
    assert_eq!(all.len(), 4, "the tiny suite has 4 cpu-cd cases: {ids:?}");
    let merged = dir.join("all.json");
    let shards = ["s0.json", "s1.json", "s2.json"].map(|f| dir.join(f));
    let [s0, s1, s2] = shards.each_ref().map(|p| s(p));
    regpath(&["merge", s0, s1, s2, "--out", s(&merged)]).expect(0);
    let v = read_json(&merged);
    assert_eq!(v["cases"].as_array().unwrap().len(), 4);

    // the same id with different results, or another environment: refused
    let a = write_one(&dir, "a.json", "x");
    let b = write_cases(&dir, "b.json", [case("x", "f64", [2.0, 2.0, 2.0], 1e-8)]);
    let (ab, ac) = (dir.join("ab.json"), dir.join("ac.json"));
    regpath(&["merge", s(&a), s(&b), "--out", s(&ab)]).expect_saying(2, &["different results"]);
    let c = write(
        &dir,
        "c.json",
        &from_another_cpu(case("y", "f64", ONE_S, 1e-8)),
    );
    regpath(&["merge", s(&a), s(&c), "--out", s(&ac)]).expect(2);
    regpath(&["merge", s(&a), s(&c), "--allow-mixed-env --out", s(&ac)]).expect(0);
}

#[test]
fn bench_takes_the_users_own_data() {
    let dir = tmp("bench-user");
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let (x, y) = (corpus.join("good_x.csv"), corpus.join("good_y.csv"));
    let data = ["bench --x", s(&x), "--y", s(&y)];
    let out = dir.join("user.json");
    regpath(&[&data[..], &["--solvers cpu-cd --runs 1 --out", s(&out)]].concat()).expect(0);
    let v = read_json(&out);
    assert_eq!(v["suite"], "user");
    assert_eq!(v["cases"][0]["id"], "lasso/good_x/n5/p3/cpu-cd/f64");
    assert_eq!(v["cases"][0]["ladder"].as_array().unwrap().len(), 3);
    // logistic loss needs 0/1 labels: refused before any work, naming the file
    regpath(&[&data[..], &["--loss logistic --solvers cpu-cd"]].concat())
        .expect_saying(2, &["good_y.csv"]);
    // neither a suite nor data
    regpath(&["bench --solvers cpu-cd"]).expect(2);
}

#[test]
fn cv_writes_its_curve_per_fold_and_plots_it() {
    let dir = tmp("cv-plot");
    let (json, svg) = (dir.join("cv.json"), dir.join("cv.svg"));
    let cv = "cv --synthetic gene --n 60 --p 20 --folds 3 --alphas 10 --out";
    regpath(&[cv, s(&json), "--plot", s(&svg)]).expect_saying(0, &["standard error"]);
    let v = read_json(&json);
    assert_eq!(v["schema"], "regpath.cv/1");
    assert_eq!(v["metric"], "mse");
    let folds = v["fold_errors"].as_array().unwrap();
    assert_eq!(folds.len(), 3);
    for a in 0..10 {
        // the mean and the standard error (sample std / √k) of the per-fold errors
        let e: Vec<f64> = folds.iter().map(|f| f[a].as_f64().unwrap()).collect();
        let mean = e.iter().sum::<f64>() / 3.0;
        let var = e.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 2.0;
        assert!((v["mean"][a].as_f64().unwrap() - mean).abs() <= 1e-12 * mean.abs());
        assert!((v["se"][a].as_f64().unwrap() - (var / 3.0).sqrt()).abs() <= 1e-9 * mean.abs());
    }
    let plot = std::fs::read_to_string(&svg).unwrap();
    assert!(
        plot.starts_with("<svg") && plot.contains("alpha_1se"),
        "{plot}"
    );
}

#[test]
fn item_09_no_usable_adapter_is_exit_3_in_every_command() {
    // DX12 does not exist on this platform: no adapter, whatever the machine has
    let none = [("WGPU_BACKEND", "dx12")];
    let small = "--synthetic regression --n 20 --p 5 --alphas 3 --solver gpu-cd";
    for args in [
        "devices".to_string(),
        format!("path {small}"),
        format!("cv {small} --folds 2"),
        "check --quick --solvers gpu-fista".into(),
        "bench --suite tiny --solvers gpu-cd --runs 1".into(),
    ] {
        let o = regpath_env(&[&args], &none);
        assert_eq!(o.code, Some(3), "{args}: {}", o.text());
        assert!(o.stderr.contains("no GPU adapter"), "{args}: {}", o.stderr);
    }
}

/// The `regpath` binary under test.
fn this_binary() -> &'static str {
    env!("CARGO_BIN_EXE_regpath")
}

#[test]
fn item_06_ab_of_the_same_binary_twice_passes() {
    // every kind of tiny case (lasso, logistic, cross-validation): each child command must run
    let bin = this_binary();
    // millisecond commands timed while other tests run in parallel: the threshold leaves room
    // for that noise (a real slowdown is caught by the sleeping wrapper's test below)
    let ab = [
        "bench --ab",
        bin,
        "--suite tiny --solvers cpu-cd --runs 10 --max-slowdown 2",
    ];
    let text = regpath(&ab).expect_saying(0, &["no regression", "regpath cv --folds 5"]);
    for id in [
        "lasso/regression/n40/p20/cpu-cd/f64",
        "logistic/classification/n60/p40/cpu-cd/f64",
        "cv5/lasso/gene/n60/p20/cpu-cd/f64",
    ] {
        assert_contains(&text, &[id]);
    }
    assert!(!text.contains("REGRESSION"), "{text}");
    // the user's own files, NEW named explicitly
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let (x, y) = (corpus.join("good_x.csv"), corpus.join("good_y.csv"));
    let data = [
        "bench --x",
        s(&x),
        "--y",
        s(&y),
        "--solvers cpu-cd --runs 6 --max-slowdown 2",
    ];
    regpath(&[&data[..], &["--ab", bin, "--new", bin]].concat())
        .expect_saying(0, &["lasso/good_x/n5/p3/cpu-cd/f64", "no regression"]);
}

#[test]
fn item_06_ab_fails_when_new_sleeps_before_running() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tmp("ab-sleep");
    let bin = this_binary();
    let slow = dir.join("slow-regpath");
    std::fs::write(
        &slow,
        format!("#!/bin/sh\nsleep 0.3\nexec '{bin}' \"$@\"\n"),
    )
    .unwrap();
    std::fs::set_permissions(&slow, std::fs::Permissions::from_mode(0o755)).unwrap();
    let case = "--suite tiny --solvers cpu-cd --cases lasso/regression --runs 5";
    regpath(&["bench --ab", bin, "--new", s(&slow), case]).expect_saying(
        1,
        &[
            "REGRESSION lasso/regression/n40/p20/cpu-cd/f64",
            "95% interval",
        ],
    );
    // the other way round it is faster, not a regression
    regpath(&["bench --ab", s(&slow), case]).expect_saying(0, &["faster", "no regression"]);
}

#[test]
fn item_06_ab_refuses_a_base_that_does_not_run_with_exit_2() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tmp("ab-bad");
    let bin = this_binary();
    let case = "--suite tiny --solvers cpu-cd --cases lasso/regression";
    let missing = dir.join("no-such-regpath");
    regpath(&["bench --ab", s(&missing), case])
        .expect_saying(2, &["--ab", "no-such-regpath", "cannot run it"]);
    // a program that runs but is not regpath, and one that fails
    let other = dir.join("other");
    std::fs::write(&other, "#!/bin/sh\necho hello\n").unwrap();
    let broken = dir.join("broken");
    std::fs::write(&broken, "#!/bin/sh\necho 'cannot start' >&2\nexit 7\n").unwrap();
    for p in [&other, &broken] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    regpath(&["bench --ab", s(&other), case]).expect_saying(2, &["not a regpath binary"]);
    regpath(&["bench --ab", s(&broken), case]).expect_saying(2, &["--ab", "cannot start"]);
    regpath(&["bench --ab", bin, "--new", s(&broken), case]).expect_saying(2, &["--new"]);
    // too few pairs for an interval, a threshold below 1, flags that do not apply
    regpath(&["bench --ab", bin, case, "--runs 2"]).expect_saying(2, &["--runs 2"]);
    regpath(&["bench --ab", bin, case, "--max-slowdown 0.5"]).expect_saying(2, &["--max-slowdown"]);
    let out = dir.join("r.json");
    regpath(&["bench --ab", bin, case, "--out", s(&out)]).expect_saying(2, &["--out"]);
    regpath(&["bench --max-slowdown 1.2", case]).expect(2);
}

#[test]
fn item_08_two_concurrent_resumes_keep_all_cases() {
    let dir = tmp("resume-race");
    let out = dir.join("tiny.json");
    // two sweeps into one file at once, each finishing different cases, with --resume
    let bench = "bench --suite tiny --solvers cpu-cd --runs 1 --tols 1e-7 --resume --out";
    let spawn = |cases: &str| {
        std::process::Command::new(this_binary())
            .args(bench.split_whitespace())
            .arg(&out)
            .args(["--cases", cases])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    for round in 0..3 {
        let _ = std::fs::remove_file(&out);
        let a = spawn("lasso/,cv5/");
        let b = spawn("logistic/");
        for child in [a, b] {
            let o = child.wait_with_output().unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        }
        let v = read_json(&out);
        let mut ids: Vec<&str> = v["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        ids.sort();
        assert_eq!(
            ids,
            [
                "cv5/lasso/gene/n60/p20/cpu-cd/f64",
                "lasso/gene/n30/p60/cpu-cd/f64",
                "lasso/regression/n40/p20/cpu-cd/f64",
                "logistic/classification/n60/p40/cpu-cd/f64",
            ],
            "round {round}"
        );
    }
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        ["tiny.json"],
        "no lock or temporary file left: {left:?}"
    );
}

/// A path's JSON records the CPU threads the solve used — the actual count, also when --threads
/// was left to its default — and a GPU-free `adapter` of null.
#[test]
fn path_json_records_the_thread_count_it_used() {
    let dir = tmp("path-threads");
    let out = dir.join("path.json");
    let args = ["path", "--synthetic", "regression", "--n", "40", "--p", "8"];
    regpath(&[&args[..], &["--out", s(&out)]].concat()).expect(0);
    let v = read_json(&out);
    let threads = v["threads"].as_u64().expect("threads is a number");
    assert!(threads >= 1, "{v}");
    assert!(v["adapter"].is_null(), "{v}");
    regpath(&[&args[..], &["--threads", "1", "--out", s(&out)]].concat()).expect(0);
    assert_eq!(read_json(&out)["threads"], 1);
}

/// `--save-data` writes the synthetic X and y that `path` solved: solving the saved files gives
/// the same path; data from files, or one file named, is refused with exit 2.
#[test]
fn save_data_reproduces_the_synthetic_path() {
    let dir = tmp("save-data");
    let (x, y) = (dir.join("X.npy"), dir.join("y.npy"));
    let (a, b) = (dir.join("a.json"), dir.join("b.json"));
    let files = format!("{},{}", s(&x), s(&y));
    let data = ["path", "--synthetic", "gene", "--n", "30", "--p", "12"];
    regpath(&[&data[..], &["--save-data", &files, "--out", s(&a)]].concat()).expect(0);
    regpath(&["path", "--x", s(&x), "--y", s(&y), "--out", s(&b)]).expect(0);
    let (a, b) = (read_json(&a), read_json(&b));
    // per alpha: alpha, coefficients, intercept, objectives, gap, iterations — all equal
    assert_eq!(a["alphas"].as_array().map(Vec::len), Some(100));
    assert_eq!(a["alphas"], b["alphas"]);
    regpath(&["path", "--x", s(&x), "--y", s(&y), "--save-data", &files])
        .expect_saying(2, &["--save-data", "--synthetic"]);
    regpath(&[&data[..], &["--save-data", s(&x)]].concat()).expect_saying(2, &["two files"]);
}
