"""Background tasks of monitoring: the stage-3 national summary."""

from django.tasks import task

from . import summary


@task
def generate_summary(export_id: int) -> int:
    """Produce the summary's DOCX, PDF and XLSX; progress is kept on the export row."""
    return summary.generate(export_id).pk
