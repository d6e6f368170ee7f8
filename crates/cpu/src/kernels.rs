//! Dense column kernels of the CD hot loop, compiled twice: for the baseline target and, chosen
//! at run time, for AVX2 with FMA (`x86_64` only). Callers write their loop once as an
//! `#[inline(always)]` function generic over [`Kernels`] and run it through [`with_best`], so
//! the whole loop, not only each call, is compiled for the wider registers.
//!
//! Sums use 16 independent accumulators (four AVX2 registers), so results differ from a single
//! running sum by rounding only (|error| ≤ γ_n Σ|a_i b_i|, γ_n = n·u/(1 − n·u), u = 2⁻⁵³).

/// The three kernels, in one instruction set.
pub trait Kernels: Copy + Send + Sync {
    /// `aᵀb`.
    fn dot(self, a: &[f64], b: &[f64]) -> f64;
    /// `y += a·x`.
    fn axpy(self, a: f64, x: &[f64], y: &mut [f64]);
    /// `aᵀb` with `a` stored in f32, each product and the sum formed in f64.
    fn dot_f32(self, a: &[f32], b: &[f64]) -> f64;
    /// `out[i] = aᵀbs[i]` as [`Kernels::dot_f32`] forms each, for up to [`MAX_MANY`] vectors
    /// `bs` at once: `a` is read and widened once for all of them.
    fn dot_f32_many(self, a: &[f32], bs: &[&[f64]], out: &mut [f64]) {
        for (o, b) in out.iter_mut().zip(bs) {
            *o = self.dot_f32(a, b);
        }
    }
}

/// Most vectors [`Kernels::dot_f32_many`] takes at once.
pub const MAX_MANY: usize = 8;

/// Width of the unrolled sums.
const LANES: usize = 16;

/// Baseline target (SSE2 on `x86_64`): separate multiply and add.
#[derive(Clone, Copy, Debug)]
pub struct Baseline;

/// AVX2 with fused multiply-add; constructed only by [`with_best`] after detection.
#[derive(Clone, Copy, Debug)]
pub struct Avx2Fma(());

#[inline(always)]
fn madd<const FMA: bool>(a: f64, b: f64, c: f64) -> f64 {
    if FMA {
        a.mul_add(b, c)
    } else {
        a * b + c
    }
}

#[inline(always)]
fn dot_body<const FMA: bool, T: Copy + Into<f64>>(a: &[T], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len(), "dot of vectors of different lengths");
    let mut acc = [0.0f64; LANES];
    let (ca, cb) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        let x: &[T; LANES] = x.try_into().expect("chunks_exact");
        let y: &[f64; LANES] = y.try_into().expect("chunks_exact");
        for k in 0..LANES {
            acc[k] = madd::<FMA>(x[k].into(), y[k], acc[k]);
        }
    }
    let mut tail = 0.0;
    for (x, y) in ra.iter().zip(rb) {
        tail = madd::<FMA>((*x).into(), *y, tail);
    }
    let mut width = LANES;
    while width > 1 {
        width /= 2;
        for k in 0..width {
            acc[k] += acc[k + width];
        }
    }
    acc[0] + tail
}

#[inline(always)]
fn axpy_body<const FMA: bool>(a: f64, x: &[f64], y: &mut [f64]) {
    assert_eq!(x.len(), y.len(), "axpy of vectors of different lengths");
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi = madd::<FMA>(a, *xi, *yi);
    }
}

impl Kernels for Baseline {
    #[inline(always)]
    fn dot(self, a: &[f64], b: &[f64]) -> f64 {
        dot_body::<false, f64>(a, b)
    }
    #[inline(always)]
    fn axpy(self, a: f64, x: &[f64], y: &mut [f64]) {
        axpy_body::<false>(a, x, y)
    }
    #[inline(always)]
    fn dot_f32(self, a: &[f32], b: &[f64]) -> f64 {
        dot_body::<false, f32>(a, b)
    }
}

impl Kernels for Avx2Fma {
    #[inline(always)]
    fn dot(self, a: &[f64], b: &[f64]) -> f64 {
        // SAFETY: an Avx2Fma exists only where AVX2 and FMA were detected (see `with_best`).
        unsafe { avx2::dot(a, b) }
    }
    #[inline(always)]
    fn axpy(self, a: f64, x: &[f64], y: &mut [f64]) {
        axpy_body::<true>(a, x, y)
    }
    #[inline(always)]
    fn dot_f32(self, a: &[f32], b: &[f64]) -> f64 {
        // SAFETY: as for `dot`.
        unsafe { avx2::dot_f32(a, b) }
    }
    #[inline(always)]
    fn dot_f32_many(self, a: &[f32], bs: &[&[f64]], out: &mut [f64]) {
        assert!(
            bs.len() <= MAX_MANY && out.len() == bs.len(),
            "dot_f32_many: sizes"
        );
        // SAFETY: as for `dot`.
        unsafe {
            match bs.len() {
                1 => avx2::dot_f32_many::<1>(a, bs, out),
                2 => avx2::dot_f32_many::<2>(a, bs, out),
                3 => avx2::dot_f32_many::<3>(a, bs, out),
                4 => avx2::dot_f32_many::<4>(a, bs, out),
                5 => avx2::dot_f32_many::<5>(a, bs, out),
                6 => avx2::dot_f32_many::<6>(a, bs, out),
                7 => avx2::dot_f32_many::<7>(a, bs, out),
                8 => avx2::dot_f32_many::<8>(a, bs, out),
                _ => {}
            }
        }
    }
}

/// The sums with explicit 256-bit registers (the compiler's vectorizer picks 128-bit ones for
/// reductions): four accumulators of four lanes, as in [`dot_body`].
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::LANES;
    use std::arch::x86_64::*;

    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn finish(acc: [__m256d; 4]) -> f64 {
        let s = _mm256_add_pd(_mm256_add_pd(acc[0], acc[1]), _mm256_add_pd(acc[2], acc[3]));
        let half = _mm_add_pd(_mm256_castpd256_pd128(s), _mm256_extractf128_pd::<1>(s));
        _mm_cvtsd_f64(_mm_add_sd(half, _mm_unpackhi_pd(half, half)))
    }

    /// `aᵀb` (see [`super::Kernels::dot`]).
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn dot(a: &[f64], b: &[f64]) -> f64 {
        assert_eq!(a.len(), b.len(), "dot of vectors of different lengths");
        let whole = a.len() / LANES * LANES;
        let mut acc = [_mm256_setzero_pd(); 4];
        for i in (0..whole).step_by(LANES) {
            for (k, acc) in acc.iter_mut().enumerate() {
                // SAFETY: i + 4k + 4 ≤ whole ≤ len of both slices.
                let (x, y) = unsafe {
                    (
                        _mm256_loadu_pd(a.as_ptr().add(i + 4 * k)),
                        _mm256_loadu_pd(b.as_ptr().add(i + 4 * k)),
                    )
                };
                *acc = _mm256_fmadd_pd(x, y, *acc);
            }
        }
        let mut tail = 0.0f64;
        for (x, y) in a[whole..].iter().zip(&b[whole..]) {
            tail = x.mul_add(*y, tail);
        }
        finish(acc) + tail
    }

    /// `aᵀb` with `a` in f32, widened exactly to f64 (see [`super::Kernels::dot_f32`]).
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn dot_f32(a: &[f32], b: &[f64]) -> f64 {
        assert_eq!(a.len(), b.len(), "dot of vectors of different lengths");
        let whole = a.len() / LANES * LANES;
        let mut acc = [_mm256_setzero_pd(); 4];
        for i in (0..whole).step_by(LANES) {
            for (k, acc) in acc.iter_mut().enumerate() {
                // SAFETY: i + 4k + 4 ≤ whole ≤ len of both slices.
                let (x, y) = unsafe {
                    (
                        _mm256_cvtps_pd(_mm_loadu_ps(a.as_ptr().add(i + 4 * k))),
                        _mm256_loadu_pd(b.as_ptr().add(i + 4 * k)),
                    )
                };
                *acc = _mm256_fmadd_pd(x, y, *acc);
            }
        }
        let mut tail = 0.0f64;
        for (x, y) in a[whole..].iter().zip(&b[whole..]) {
            tail = (*x as f64).mul_add(*y, tail);
        }
        finish(acc) + tail
    }

    /// `out[i] = aᵀbs[i]` for exactly `M` vectors: one 4-lane accumulator per vector, each
    /// 4 values of `a` loaded and widened once (see [`super::Kernels::dot_f32_many`]).
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn dot_f32_many<const M: usize>(a: &[f32], bs: &[&[f64]], out: &mut [f64]) {
        let bs: &[&[f64]; M] = bs.try_into().expect("M vectors");
        for b in bs {
            assert_eq!(a.len(), b.len(), "dot of vectors of different lengths");
        }
        let whole = a.len() / 4 * 4;
        let mut acc = [_mm256_setzero_pd(); M];
        for i in (0..whole).step_by(4) {
            // SAFETY: i + 4 ≤ whole ≤ len of `a` and of every `b`.
            let x = unsafe { _mm256_cvtps_pd(_mm_loadu_ps(a.as_ptr().add(i))) };
            for (acc, b) in acc.iter_mut().zip(bs) {
                let y = unsafe { _mm256_loadu_pd(b.as_ptr().add(i)) };
                *acc = _mm256_fmadd_pd(x, y, *acc);
            }
        }
        for ((o, acc), b) in out.iter_mut().zip(acc).zip(bs) {
            let zero = _mm256_setzero_pd();
            let mut tail = 0.0f64;
            for (x, y) in a[whole..].iter().zip(&b[whole..]) {
                tail = (*x as f64).mul_add(*y, tail);
            }
            *o = finish([acc, zero, zero, zero]) + tail;
        }
    }
}

/// A loop over dense columns, written once for any [`Kernels`].
pub trait KernelLoop {
    type Output;
    /// The loop's body; implementations mark it `#[inline(always)]` so that it is compiled
    /// inside [`with_best`]'s per-target copies.
    fn run<K: Kernels>(self, k: K) -> Self::Output;
}

/// Runs `body` with the widest kernels this CPU has (AVX2+FMA when detected, else baseline).
#[inline]
pub fn with_best<L: KernelLoop>(body: L) -> L::Output {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU has AVX2 and FMA, checked just above.
            return unsafe { run_avx2(body) };
        }
    }
    body.run(Baseline)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn run_avx2<L: KernelLoop>(body: L) -> L::Output {
    body.run(Avx2Fma(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kernels on ragged lengths against plain sums (the identity a·b summed term by term).
    struct Check<'a>(&'a [f64], &'a [f64], &'a [f32]);
    impl KernelLoop for Check<'_> {
        type Output = (f64, f64, Vec<f64>);
        #[inline(always)]
        fn run<K: Kernels>(self, k: K) -> Self::Output {
            let mut y = self.1.to_vec();
            k.axpy(-0.5, self.0, &mut y);
            (k.dot(self.0, self.1), k.dot_f32(self.2, self.1), y)
        }
    }

    #[test]
    fn kernels_agree_with_term_by_term_sums_on_ragged_lengths() {
        for n in [0usize, 1, 3, 15, 16, 17, 33, 200, 1001] {
            let a: Vec<f64> = (0..n).map(|i| (i as f64 * 0.37).sin() * 3.0).collect();
            let b: Vec<f64> = (0..n).map(|i| (i as f64 * 1.3).cos() - 0.25).collect();
            let af: Vec<f32> = a.iter().map(|&v| v as f32).collect();
            let exact: f64 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
            let exact_f32: f64 = af.iter().zip(&b).map(|(&x, y)| x as f64 * y).sum();
            let scale: f64 = a.iter().zip(&b).map(|(x, y)| (x * y).abs()).sum::<f64>() + 1e-300;
            for (dot, dot_f32, y) in [
                with_best(Check(&a, &b, &af)),
                Check(&a, &b, &af).run(Baseline),
            ] {
                assert!(
                    (dot - exact).abs() <= 1e-14 * scale,
                    "n {n}: {dot} vs {exact}"
                );
                assert!((dot_f32 - exact_f32).abs() <= 1e-14 * scale);
                for i in 0..n {
                    assert!((y[i] - (b[i] - 0.5 * a[i])).abs() <= 1e-15 * (1.0 + b[i].abs()));
                }
            }
        }
    }

    /// `dot_f32_many` on 1 to 8 vectors against term-by-term sums of each.
    struct Many<'a>(&'a [f32], &'a [&'a [f64]]);
    impl KernelLoop for Many<'_> {
        type Output = Vec<f64>;
        #[inline(always)]
        fn run<K: Kernels>(self, k: K) -> Vec<f64> {
            let mut out = vec![f64::NAN; self.1.len()];
            k.dot_f32_many(self.0, self.1, &mut out);
            out
        }
    }

    #[test]
    fn many_dots_agree_with_term_by_term_sums_for_every_count() {
        for n in [0usize, 3, 4, 17, 200] {
            let a: Vec<f32> = (0..n)
                .map(|i| ((i as f64 * 0.37).sin() * 3.0) as f32)
                .collect();
            let bs: Vec<Vec<f64>> = (0..MAX_MANY)
                .map(|v| (0..n).map(|i| ((i + 7 * v) as f64 * 1.3).cos()).collect())
                .collect();
            let refs: Vec<&[f64]> = bs.iter().map(|b| &b[..]).collect();
            for m in 1..=MAX_MANY {
                for got in [
                    with_best(Many(&a, &refs[..m])),
                    Many(&a, &refs[..m]).run(Baseline),
                ] {
                    for (v, b) in bs[..m].iter().enumerate() {
                        let exact: f64 = a.iter().zip(b).map(|(&x, y)| x as f64 * y).sum();
                        let scale: f64 = a
                            .iter()
                            .zip(b)
                            .map(|(&x, y)| (x as f64 * y).abs())
                            .sum::<f64>();
                        assert!(
                            (got[v] - exact).abs() <= 1e-14 * scale + 1e-300,
                            "n {n} m {m} vector {v}: {} vs {exact}",
                            got[v]
                        );
                    }
                }
            }
        }
    }
}
