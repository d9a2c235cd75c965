"""Document numbers that never repeat and never skip under concurrency."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from notifications.models import DocumentSequence


def sequence_next(*, name: str, year: int) -> int:
    """The next number of ``name`` in ``year``; call inside the transaction that uses it,
    so a rolled-back document gives its number back."""
    for _ in range(3):
        try:
            with transaction.atomic():
                row, _ = DocumentSequence.objects.select_for_update().get_or_create(name=name, year=year)
                row.value += 1
                row.save(update_fields=["value"])
                return row.value
        except IntegrityError:  # two first numbers of a year at once: the loser reads the winner's row
            continue
    raise RuntimeError(f"无法取得{name}〔{year}〕的文号")
