"""What the drafts hold about a person (see home.privacy)."""

from documents.models import DraftAttachment, DraftComment, DraftVersion


def export(user):
    return {
        "versions_saved": list(
            DraftVersion.objects.filter(author=user).values(
                "draft__title", "number", "note", "created_at"
            )
        ),
        "versions_edited": list(
            DraftVersion.objects.filter(editors=user).values(
                "draft__title", "number", "created_at"
            )
        ),
        "comments": list(
            DraftComment.objects.filter(author=user).values(
                "draft__title", "text", "created_at", "resolved_at"
            )
        ),
        "attachments_uploaded": list(
            DraftAttachment.objects.filter(uploaded_by=user).values(
                "draft__title", "document__title", "uploaded_at"
            )
        ),
    }


def files(user):
    for attachment in DraftAttachment.objects.filter(uploaded_by=user).select_related(
        "document"
    ):
        yield f"{attachment.pk}-{attachment.document.title}", attachment.document.file
