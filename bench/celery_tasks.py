"""A no-op task for the throughput baseline: INCR a Redis counter (the worker loads it with -I)."""

from __future__ import annotations

import os

import redis
from celery import shared_task

_client = None


@shared_task(name="bench.noop", ignore_result=True)
def noop() -> None:
    global _client
    if _client is None:
        _client = redis.Redis.from_url(os.environ["BENCH_COUNTER_URL"])
    _client.incr("bench:noop")
