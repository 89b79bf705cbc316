"""What empties the public response cache: any change to what the public may
see (a published change must show at once; a page made private must vanish)."""

from django.db.models.signals import post_delete, post_save

from wagtail.signals import page_published, page_slug_changed, page_unpublished

from home.cache import clear_public_cache


def action_published(sender, instance, **kwargs):
    """A Polish action's facts reach its translations (home/facts.py)."""
    from wagtail.models import Locale

    from home.facts import sync_action_facts

    if instance.locale_id == Locale.get_default().pk:
        sync_action_facts(instance)


def first_revision(sender, instance, created, raw=False, **kwargs):
    """A snippet made outside the admin's editor (the demo, a translation
    submitted through simple_translation) gets its first revision at once:
    the time a translation was made is its latest revision's
    (home/translations.py)."""
    if created and not raw and instance.latest_revision_id is None:
        instance.save_revision(clean=False)


def connect():
    from wagtail.models import Page, PageViewRestriction, Site

    from home.models import ActionPage, InfoPoint
    from home.subscriptions import publication_announce

    page_published.connect(
        action_published, sender=ActionPage, dispatch_uid="home.action_facts"
    )
    page_published.connect(publication_announce, dispatch_uid="home.subscriptions")
    uid = "home.clear_public_cache"
    page_published.connect(clear_public_cache, dispatch_uid=f"{uid}.published")
    page_unpublished.connect(clear_public_cache, dispatch_uid=f"{uid}.unpublished")
    page_slug_changed.connect(clear_public_cache, dispatch_uid=f"{uid}.slug")
    post_save.connect(
        first_revision, sender=InfoPoint, dispatch_uid="home.snippet_first_revision"
    )
    for model in (PageViewRestriction, Site, InfoPoint):
        post_save.connect(
            clear_public_cache, sender=model, dispatch_uid=f"{uid}.save.{model}"
        )
        post_delete.connect(
            clear_public_cache, sender=model, dispatch_uid=f"{uid}.delete.{model}"
        )
    # Deleting or moving a page (moves save the page) changes URLs and trees.
    post_delete.connect(clear_public_cache, sender=Page, dispatch_uid=f"{uid}.pdel")
    from wagtail.signals import post_page_move

    post_page_move.connect(clear_public_cache, dispatch_uid=f"{uid}.move")
