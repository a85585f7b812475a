"""Background tasks of monitoring: the stage-3 national summary, and computing a
quarter's small-cell suppression as soon as its figures change."""

from django.tasks import task

from . import summary


@task
def generate_summary(export_id: int) -> int:
    """Produce the summary's DOCX, PDF and XLSX; progress is kept on the export row."""
    return summary.generate(export_id).pk


@task
def warm_suppression(period_id: int, version: int) -> int:
    """After a change to a quarter's aggregates: its suppression maps, ready for the pages."""
    from . import selectors

    return selectors.warm_suppression(period_id, version)
