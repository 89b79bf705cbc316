"""Models of the public site, by subject: its own pages (``pages``), the
programme's page tree (``programme``), info points, queued e-mail and the
public's e-mail subscriptions (docs/architecture.md#apps-and-the-dependency-rule)."""

from home.models.downloads import DocumentsPage
from home.models.info_points import InfoPoint
from home.models.mail import OutgoingEmail
from home.models.pages import (
    AccessibilityStatementPage,
    HelpPage,
    HomePage,
    InfoPointsAndFastRoutingMixin,
    PublicPage,
    PublicPageMixin,
)
from home.models.programme import (
    ActionIndicator,
    ActionPage,
    ActionStatus,
    ActionStatusChange,
    DiagnosisPage,
    DirectionPage,
    MonitoringPage,
    NumberedPage,
    ProgrammePage,
    StrategicGoalPage,
)
from home.models.subscriptions import Subscription, SubscriptionDelivery

__all__ = [
    "AccessibilityStatementPage",
    "ActionIndicator",
    "ActionPage",
    "ActionStatus",
    "ActionStatusChange",
    "DiagnosisPage",
    "DocumentsPage",
    "DirectionPage",
    "HelpPage",
    "HomePage",
    "InfoPoint",
    "InfoPointsAndFastRoutingMixin",
    "MonitoringPage",
    "NumberedPage",
    "OutgoingEmail",
    "ProgrammePage",
    "PublicPage",
    "PublicPageMixin",
    "StrategicGoalPage",
    "Subscription",
    "SubscriptionDelivery",
]
