"""Reads that look across the plan: the leaders' dashboard, the measure ledger, reporting discipline,
indicators, unit scorecards and the public progress page. Each reads in a fixed number of queries."""
