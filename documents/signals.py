"""Wagtail's publication and workflow events move the drafts behind
recommendation pages (see documents.review)."""

from django.db import transaction

from wagtail.signals import page_published, workflow_cancelled, workflow_rejected

from documents import review
from documents.models import RecommendationPage


def recommendation_published(sender, instance, revision=None, **kwargs):
    with transaction.atomic():
        review.on_recommendation_published(instance, user=None)


def recommendation_changes_requested(sender, instance, user=None, **kwargs):
    page = getattr(instance.content_object, "specific", None)
    if not isinstance(page, RecommendationPage):
        return
    task_state = instance.current_task_state
    comment = task_state.specific.get_comment() if task_state else ""
    with transaction.atomic():
        review.on_changes_requested(page, user, comment)


def recommendation_review_cancelled(sender, instance, user=None, **kwargs):
    page = getattr(instance.content_object, "specific", None)
    if not isinstance(page, RecommendationPage):
        return
    with transaction.atomic():
        review.on_review_cancelled(page, user)


def connect():
    page_published.connect(
        recommendation_published,
        sender=RecommendationPage,
        dispatch_uid="documents-recommendation-published",
    )
    workflow_rejected.connect(
        recommendation_changes_requested,
        dispatch_uid="documents-recommendation-changes-requested",
    )
    workflow_cancelled.connect(
        recommendation_review_cancelled,
        dispatch_uid="documents-recommendation-review-cancelled",
    )
