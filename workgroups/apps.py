from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkgroupsConfig(AppConfig):
    name = "workgroups"
    verbose_name = _("Working groups")

    def ready(self):
        from workgroups import (  # noqa: F401 - access ends everywhere; votes shown; writes move remembered pages
            page_cache,
            proposal_panels,
            receivers,
        )
        from workgroups.discussion import receivers as _rooms  # noqa: F401 - a room per group
        from workgroups.services import invitations  # noqa: F401 - mail_failed
