from .letters import (
    Answer,
    AnswerMeasure,
    AnswerSpecialist,
    Attachment,
    Directive,
    Recipient,
    RecipientStatus,
    Reminder,
    RequiredResponse,
    Resolution,
    ResponseKind,
)
from .programme import (
    ImplementationCard,
    MeasureStatus,
    PlannedMeasure,
    Programme,
    Project,
    ResponsibleSpecialist,
    Stage,
)

__all__ = [
    "Answer", "AnswerMeasure", "AnswerSpecialist", "Attachment", "Directive", "Recipient",
    "RecipientStatus", "Reminder", "RequiredResponse", "Resolution", "ResponseKind",
    "ImplementationCard", "MeasureStatus", "PlannedMeasure", "Programme", "Project",
    "ResponsibleSpecialist", "Stage",
]
