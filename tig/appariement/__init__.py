"""Matching of measures to unpaid-work posts, as pure functions (no database, no Django model).

Dataclasses in (``donnees``), dataclasses out: ``distance`` (haversine), ``eligibilite`` (a post
for a measure, or the closed list of reasons why not), ``suggestions`` (the best posts for one
measure) and ``optimal`` (all pending measures at once, exact min-cost flow). The callers map the
models to these dataclasses; nothing here reads or writes the database.
"""
