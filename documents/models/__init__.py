"""Models of the documents, by subject: the drafts a group writes
(``drafts``) and their published form, the recommendation pages
(``recommendations``). The modules import nothing that imports this package
back (docs/architecture.md#apps-and-the-dependency-rule)."""

from documents.models.drafts import (
    AgendaDraft,
    Draft,
    DraftApproval,
    DraftAttachment,
    DraftComment,
    DraftPresence,
    DraftProposal,
    DraftVersion,
)
from documents.models.live import LiveDocument, LiveEditor, LiveUpdate
from documents.models.recommendations import (
    RecommendationIndexPage,
    RecommendationPage,
)
from documents.models.suggestions import SuggestionDecision

__all__ = [
    "AgendaDraft",
    "Draft",
    "DraftApproval",
    "DraftAttachment",
    "DraftComment",
    "DraftPresence",
    "DraftProposal",
    "DraftVersion",
    "LiveDocument",
    "LiveEditor",
    "LiveUpdate",
    "RecommendationIndexPage",
    "RecommendationPage",
    "SuggestionDecision",
]
