#!/usr/bin/env bash
# A sweep on a Slurm cluster: 8 array tasks each time one disjoint slice of the suite's cases,
# then one dependent job merges the slices.
#
#   jobs=$(sbatch --parsable scripts/cluster/slurm-bench.sh gene)
#   sbatch --dependency=afterok:$jobs --wrap "regpath merge results/gene-shard-*.json --out results/gene.json"
#
# Each task should land on the same node type (timings only compare within one environment;
# `regpath merge` refuses mixed environments unless --allow-mixed-env).
#SBATCH --job-name=regpath-bench
#SBATCH --array=0-7
#SBATCH --cpus-per-task=2
#SBATCH --time=02:00:00
#SBATCH --output=regpath-bench-%A_%a.log
set -euo pipefail
suite="${1:-gene}"
regpath bench --suite "$suite" --threads "${SLURM_CPUS_PER_TASK:-2}" \
  --shard "${SLURM_ARRAY_TASK_ID}/8" --out "results/${suite}-shard-${SLURM_ARRAY_TASK_ID}.json"
