"""Benchmarks run side by side with their baseline, in one process.

``python -m bench [nom ...]`` runs the modules listed in ``bench.__main__.BENCHMARKS``. Each
module exposes ``run() -> list[dict]``; each dict is one result line with the keys of
``bench.mesure.CHAMPS`` (build it with ``bench.mesure.ligne``). Timings use
``bench.mesure.comparer``: warm-up, then alternating rounds (A, B, B, A...) and medians, so that
machine noise hits both sides and only the ratio is compared with a target.
"""
