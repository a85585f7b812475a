from .framework import (
    Aggregation,
    FrameworkVersion,
    Indicator,
    IndicatorKind,
    OverTime,
    ReportingLevel,
    Source,
    Unit,
)
from .reports import (
    RECEIVED,
    ApprovalStep,
    Period,
    PeriodStatus,
    Report,
    ReportStatus,
    ReportValue,
)
from .rollups import Aggregate, DataVersion, SummaryExport, SuppressionMap

__all__ = [
    "Aggregation",
    "OverTime",
    "FrameworkVersion",
    "Indicator",
    "IndicatorKind",
    "ReportingLevel",
    "Source",
    "Unit",
    "RECEIVED",
    "ApprovalStep",
    "Period",
    "PeriodStatus",
    "Report",
    "ReportStatus",
    "ReportValue",
    "Aggregate",
    "DataVersion",
    "SummaryExport",
    "SuppressionMap",
]
