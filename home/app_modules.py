"""Each app's module of a fixed name — ``demo``, ``privacy``, ``retention`` —
found the way Wagtail finds ``wagtail_hooks``, so that ``home`` collects the
other apps' parts without importing them
(docs/architecture.md#per-app-modules-demo-privacy-retention)."""

from django.apps import apps

from wagtail.utils.apps import get_app_submodules


def app_modules(name):
    """``[(app label, module)]`` of every installed app that has a module
    ``<app>.<name>``, in ``INSTALLED_APPS`` order, so that an app's demo
    builds on the apps before it. An error inside such a module is raised,
    not taken for a missing module."""
    labels = {config.name: config.label for config in apps.get_app_configs()}
    return [(labels[app], module) for app, module in get_app_submodules(name)]
