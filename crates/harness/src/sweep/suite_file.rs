//! `bench --suite-file F.toml`: a suite of the user's own, as TOML — datasets (synthetic, or X
//! and y files) × problems (penalty, loss) × solvers, with an optional tolerance ladder. Parsed
//! with the `toml` crate (serde, spans for every error); a bad file is an input error (exit 2)
//! naming the file, the line and column, and the key. See `examples/suite.toml`.

use super::suites::Workload;
use super::DataSpec;
use crate::error::input_error;
use anyhow::Result;
use regpath_core::{Loss, Penalty};
use serde::Deserialize;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// Largest n·p of a synthetic dataset (f64 values: 4 GB), checked before generating it.
pub const MAX_ELEMENTS: usize = 500_000_000;

/// A suite file, checked: its name, its workloads (datasets × problems, in file order), and the
/// solvers and tolerances it asks for.
#[derive(Clone, Debug)]
pub struct SuiteFile {
    pub name: String,
    pub workloads: Vec<Workload>,
    /// `solvers = [...]` (None: every solver).
    pub solvers: Option<Vec<String>>,
    /// `tols = [...]` (None: the precision's default ladder).
    pub tols: Option<Vec<f64>>,
    /// Where `solvers` is in the file, for an error about one of them: `F.toml:3:11`.
    pub solvers_at: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    name: Option<Spanned<String>>,
    solvers: Option<Spanned<Vec<String>>>,
    tols: Option<Spanned<Vec<f64>>>,
    dataset: Spanned<Vec<Spanned<RawDataset>>>,
    problem: Option<Vec<Spanned<RawProblem>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDataset {
    name: Option<Spanned<String>>,
    kind: Option<Spanned<String>>,
    n: Option<Spanned<i64>>,
    p: Option<Spanned<i64>>,
    rho: Option<Spanned<f64>>,
    seed: Option<Spanned<i64>>,
    x: Option<Spanned<String>>,
    y: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProblem {
    name: Option<Spanned<String>>,
    penalty: Option<Spanned<String>>,
    l1_ratio: Option<Spanned<f64>>,
    loss: Option<Spanned<String>>,
}

/// Reads and checks a suite file; every problem is an input error naming the file, the line and
/// column, and the key.
pub fn read(path: &Path) -> Result<SuiteFile> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| input_error(format!("cannot read {}: {e}", path.display())))?;
    parse(&text, path)
}

/// [`read`] on the file's text (`path` names it in errors and anchors relative x/y paths).
pub fn parse(text: &str, path: &Path) -> Result<SuiteFile> {
    let at = |span: Option<Range<usize>>| position(path, text, span);
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        input_error(format!(
            "{}: {}",
            at(e.span()),
            e.message().trim_end().replace('\n', "; ")
        ))
    })?;
    let bad = |span: Range<usize>, key: &str, why: String| {
        input_error(format!("{}: key `{key}`: {why}", at(Some(span))))
    };
    let name = match &raw.name {
        Some(n) if !valid_name(n.get_ref()) => {
            return Err(bad(n.span(), "name", name_rule(n.get_ref())))
        }
        Some(n) => n.get_ref().clone(),
        None => path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "suite".into()),
    };
    if let Some(t) = &raw.tols {
        if t.get_ref().is_empty() {
            return Err(bad(t.span(), "tols", "the list is empty".into()));
        }
        if let Some(v) = t.get_ref().iter().find(|v| !(v.is_finite() && **v > 0.0)) {
            return Err(bad(
                t.span(),
                "tols",
                format!("every tolerance must be finite and > 0, got {v}"),
            ));
        }
    }
    if let Some(s) = &raw.solvers {
        if s.get_ref().is_empty() {
            return Err(bad(s.span(), "solvers", "the list is empty".into()));
        }
    }
    if raw.dataset.get_ref().is_empty() {
        return Err(bad(
            raw.dataset.span(),
            "dataset",
            "no dataset: add a [[dataset]] table".into(),
        ));
    }
    let base = path.parent().unwrap_or(Path::new(""));
    let mut datasets: Vec<(DataSpec, String, Range<usize>)> = Vec::new();
    for d in raw.dataset.get_ref() {
        let (spec, name) = dataset(d.get_ref(), d.span(), base, &bad)?;
        if datasets
            .iter()
            .any(|p| p.1 == name && p.0.n == spec.n && p.0.p == spec.p)
        {
            return Err(bad(
                d.span(),
                "dataset",
                format!("a second dataset named {name:?} of the same size: case ids would repeat; give it another `name`"),
            ));
        }
        datasets.push((spec, name, d.span()));
    }
    let problems: Vec<(Loss, Penalty, String)> = match &raw.problem {
        None => vec![(Loss::Squared, Penalty::LASSO, String::new())],
        Some(list) => list
            .iter()
            .map(|p| problem(p.get_ref(), p.span(), &bad))
            .collect::<Result<_>>()?,
    };
    let mut workloads: Vec<Workload> = Vec::new();
    for (spec, data_name, span) in &datasets {
        for (loss, penalty, problem_name) in &problems {
            if *loss == Loss::Logistic && !spec.has_labels() {
                return Err(bad(
                    span.clone(),
                    "kind",
                    format!("a logistic problem needs labels 0/1: kind \"classification\", \"text\" or x/y files, not {:?}", spec.kind),
                ));
            }
            let mut w = match loss {
                Loss::Squared => Workload::lasso(spec.clone()),
                Loss::Logistic => Workload::logistic(spec.clone()),
            };
            w.penalty = *penalty;
            let problem_name = if problem_name.is_empty() {
                w.name()
            } else {
                problem_name.clone()
            };
            w.names = Some((problem_name, data_name.clone()));
            if workloads.iter().any(|o| o.label() == w.label()) {
                return Err(bad(
                    span.clone(),
                    "problem",
                    format!(
                        "two problems give the case ids {}: name them apart",
                        w.label()
                    ),
                ));
            }
            workloads.push(w);
        }
    }
    Ok(SuiteFile {
        name,
        workloads,
        solvers: raw.solvers.as_ref().map(|s| s.get_ref().clone()),
        tols: raw.tols.as_ref().map(|t| t.get_ref().clone()),
        solvers_at: at(raw.solvers.as_ref().map(|s| s.span())),
    })
}

type Bad<'a> = dyn Fn(Range<usize>, &str, String) -> anyhow::Error + 'a;

/// One `[[dataset]]`: synthetic (kind, n, p, rho, seed) or files (x, y), and its name.
fn dataset(
    d: &RawDataset,
    span: Range<usize>,
    base: &Path,
    bad: &Bad,
) -> Result<(DataSpec, String)> {
    let size = |v: &Option<Spanned<i64>>, key: &str| -> Result<usize> {
        let Some(v) = v else {
            return Err(bad(
                span.clone(),
                key,
                format!("missing: a synthetic dataset needs kind, n and p (or x and y files)"),
            ));
        };
        usize::try_from(*v.get_ref())
            .ok()
            .filter(|&n| n >= 1)
            .ok_or_else(|| {
                bad(
                    v.span(),
                    key,
                    format!("must be at least 1, got {}", v.get_ref()),
                )
            })
    };
    let spec = match (&d.x, &d.y) {
        (Some(x), Some(y)) => {
            for (key, v) in [
                ("kind", d.kind.as_ref().map(|v| v.span())),
                ("n", d.n.as_ref().map(|v| v.span())),
                ("p", d.p.as_ref().map(|v| v.span())),
                ("rho", d.rho.as_ref().map(|v| v.span())),
                ("seed", d.seed.as_ref().map(|v| v.span())),
            ] {
                if let Some(s) = v {
                    return Err(bad(
                        s,
                        key,
                        "not with x/y files: the files give the data".into(),
                    ));
                }
            }
            let (xp, yp) = (base.join(x.get_ref()), base.join(y.get_ref()));
            DataSpec::files(&xp, &yp, None).map_err(|e| bad(x.span(), "x", format!("{e:#}")))?
        }
        (Some(v), None) | (None, Some(v)) => {
            let key = if d.x.is_some() { "y" } else { "x" };
            return Err(bad(
                v.span(),
                key,
                "missing: x and y files go together".into(),
            ));
        }
        (None, None) => {
            let Some(kind) = &d.kind else {
                return Err(bad(
                    span,
                    "kind",
                    "missing: regression, gene, classification or text (or x and y files)".into(),
                ));
            };
            let (n, p) = (size(&d.n, "n")?, size(&d.p, "p")?);
            if n.saturating_mul(p) > MAX_ELEMENTS {
                return Err(bad(
                    d.p.as_ref().map_or(span.clone(), |v| v.span()),
                    "p",
                    format!("n·p = {n}·{p} is above {MAX_ELEMENTS} values"),
                ));
            }
            let mut spec = match kind.get_ref().as_str() {
                "regression" => DataSpec::regression(n, p),
                "gene" => DataSpec::gene(n, p, 0.5),
                "classification" => DataSpec::classification(n, p),
                "text" => DataSpec::text(n, p),
                other => {
                    return Err(bad(
                        kind.span(),
                        "kind",
                        format!(
                        "unknown kind {other:?}; expected regression, gene, classification or text"
                    ),
                    ))
                }
            };
            if let Some(rho) = &d.rho {
                let r = *rho.get_ref();
                if spec.kind != "gene" {
                    return Err(bad(
                        rho.span(),
                        "rho",
                        "only gene data have a correlation".into(),
                    ));
                }
                if !(r.is_finite() && r.abs() < 1.0) {
                    return Err(bad(
                        rho.span(),
                        "rho",
                        format!("must be in (-1, 1), got {r}"),
                    ));
                }
                spec.rho = Some(r);
            }
            if let Some(seed) = &d.seed {
                spec.seed = u64::try_from(*seed.get_ref()).map_err(|_| {
                    bad(
                        seed.span(),
                        "seed",
                        format!("must be >= 0, got {}", seed.get_ref()),
                    )
                })?;
            }
            spec
        }
    };
    let name = match &d.name {
        Some(n) if !valid_name(n.get_ref()) => {
            return Err(bad(n.span(), "name", name_rule(n.get_ref())))
        }
        Some(n) => n.get_ref().clone(),
        None => spec.kind.clone(),
    };
    Ok((spec, name))
}

/// One `[[problem]]`: loss and penalty (`lasso`, `ridge`, or `enet` with `l1_ratio`), and its
/// name ("" when the ids derive it).
fn problem(p: &RawProblem, span: Range<usize>, bad: &Bad) -> Result<(Loss, Penalty, String)> {
    let loss = match p.loss.as_ref().map(|l| (l, l.get_ref().as_str())) {
        None | Some((_, "squared")) => Loss::Squared,
        Some((_, "logistic")) => Loss::Logistic,
        Some((l, other)) => {
            return Err(bad(
                l.span(),
                "loss",
                format!("unknown loss {other:?}; expected squared or logistic"),
            ))
        }
    };
    let ratio = p.l1_ratio.as_ref().map(|r| (r.span(), *r.get_ref()));
    let penalty = match (
        p.penalty.as_ref().map(|v| (v.span(), v.get_ref().as_str())),
        ratio,
    ) {
        (None | Some((_, "lasso")), None) => Penalty::LASSO,
        (Some((_, "ridge")), None) => Penalty::RIDGE,
        (Some((_, "enet")) | None, Some((s, r))) => Penalty::elastic_net(r)
            .map_err(|_| bad(s, "l1_ratio", format!("must be in [0, 1], got {r}")))?,
        (Some((s, "enet")), None) => {
            return Err(bad(
                s,
                "l1_ratio",
                "missing: penalty \"enet\" needs l1_ratio".into(),
            ))
        }
        (Some((_, "lasso" | "ridge")), Some((s, _))) => {
            return Err(bad(
                s,
                "l1_ratio",
                "only with penalty \"enet\" (lasso is 1, ridge 0)".into(),
            ))
        }
        (Some((s, other)), _) => {
            return Err(bad(
                s,
                "penalty",
                format!("unknown penalty {other:?}; expected lasso, ridge or enet"),
            ))
        }
    };
    let name = match &p.name {
        Some(n) if !valid_name(n.get_ref()) => {
            return Err(bad(n.span(), "name", name_rule(n.get_ref())))
        }
        Some(n) => n.get_ref().clone(),
        None => String::new(),
    };
    let _ = span;
    Ok((loss, penalty, name))
}

/// Names become parts of case ids: letters, digits, `-`, `_`, `.` only.
fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn name_rule(s: &str) -> String {
    format!("{s:?}: a name is part of the case ids: letters, digits, '-', '_' and '.' only")
}

/// `F.toml:LINE:COLUMN` of a byte span's start (1-based), or `F.toml` without one.
fn position(path: &Path, text: &str, span: Option<Range<usize>>) -> String {
    let Some(span) = span else {
        return path.display().to_string();
    };
    let before = &text[..span.start.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("{}:{line}:{column}", path.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        format!("{:#}", parse(text, Path::new("s.toml")).unwrap_err())
    }

    #[test]
    fn a_suite_is_datasets_times_problems_with_ids_from_the_names() {
        let s = parse(
            r#"
name = "mine"
solvers = ["cpu-cd"]
tols = [1e-3, 1e-6]

[[dataset]]
name = "small"
kind = "gene"
n = 30
p = 50
rho = 0.9
seed = 7

[[dataset]]
kind = "regression"
n = 20
p = 10

[[problem]]
penalty = "lasso"

[[problem]]
name = "half"
penalty = "enet"
l1_ratio = 0.5
"#,
            Path::new("dir/mine.toml"),
        )
        .unwrap();
        assert_eq!(s.name, "mine");
        assert_eq!(s.solvers.as_deref(), Some(&["cpu-cd".to_string()][..]));
        assert_eq!(s.tols.as_deref(), Some(&[1e-3, 1e-6][..]));
        let labels: Vec<String> = s.workloads.iter().map(Workload::label).collect();
        assert_eq!(
            labels,
            [
                "lasso/small/n30/p50",
                "half/small/n30/p50",
                "lasso/regression/n20/p10",
                "half/regression/n20/p10"
            ]
        );
        let w = &s.workloads[1];
        assert_eq!(
            (w.penalty.l1_ratio, w.data.rho, w.data.seed),
            (0.5, Some(0.9), 7)
        );
        assert_eq!(w.problem_spec().l1_ratio, 0.5);
        assert_eq!(w.dataset_spec().kind, "small");
        assert_eq!(s.solvers_at, "dir/mine.toml:3:11");
    }

    #[test]
    fn errors_name_the_file_line_column_and_key() {
        let e = err("[[dataset]]\nkind = \"gene\"\nn = 10\np = 0\n");
        assert!(
            e.starts_with("s.toml:4:5: key `p`: must be at least 1"),
            "{e}"
        );
        let e = err("[[dataset]]\nkind = \"genes\"\nn = 10\np = 5\n");
        assert!(
            e.starts_with("s.toml:2:8: key `kind`: unknown kind \"genes\""),
            "{e}"
        );
        let e = err("[[dataset]]\nkind = \"gene\"\nn = 10\np = 5\ncolour = 1\n");
        assert!(
            e.starts_with("s.toml:5:1:") && e.contains("unknown field `colour`"),
            "{e}"
        );
        let e = err("[[dataset]]\nkind = \"gene\"\nn = \"ten\"\np = 5\n");
        assert!(
            e.starts_with("s.toml:3:5:") && e.contains("invalid type"),
            "{e}"
        );
        let e = err("tols = [1e-3, -1.0]\n[[dataset]]\nkind = \"gene\"\nn = 10\np = 5\n");
        assert!(
            e.starts_with("s.toml:1:8: key `tols`: every tolerance"),
            "{e}"
        );
        let e =
            err("[[dataset]]\nkind = \"gene\"\nn = 10\np = 5\n[[problem]]\npenalty = \"enet\"\n");
        assert!(e.starts_with("s.toml:6:11: key `l1_ratio`: missing"), "{e}");
        let e =
            err("[[dataset]]\nkind = \"gene\"\nn = 10\np = 5\n[[problem]]\nloss = \"logistic\"\n");
        assert!(
            e.contains("key `kind`: a logistic problem needs labels 0/1"),
            "{e}"
        );
        let e = err("name = \"a b\"\n[[dataset]]\nkind = \"gene\"\nn = 10\np = 5\n");
        assert!(e.starts_with("s.toml:1:8: key `name`:"), "{e}");
        let e = err("[[dataset]]\nkind = \"gene\"\nn = 100000\np = 100000\n");
        assert!(e.contains("key `p`: n·p = 100000·100000 is above"), "{e}");
        let e = err("[[dataset]]\nx = \"X.npy\"\n");
        assert!(e.starts_with("s.toml:2:5: key `y`: missing"), "{e}");
        let e = err("[[dataset]\n");
        assert!(e.starts_with("s.toml:1:"), "{e}");
        let e = err("solvers = []\n[[dataset]]\nkind = \"gene\"\nn = 10\np = 5\n");
        assert!(
            e.starts_with("s.toml:1:11: key `solvers`: the list is empty"),
            "{e}"
        );
        assert!(err("").contains("missing field `dataset`"), "{}", err(""));
    }
}
