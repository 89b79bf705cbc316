"""The private Wagtail collections that hold drafts' attachments."""

from django.db import transaction

from wagtail.models import Collection, CollectionViewRestriction

PRIVATE_ROOT_NAME = "Zespoły robocze (prywatne)"


def _private_root():
    root = Collection.get_first_root_node()
    private = root.get_children().filter(name=PRIVATE_ROOT_NAME).first()
    if private is None:
        private = root.add_child(name=PRIVATE_ROOT_NAME)
        # A second lock besides the membership check: never for anonymous.
        CollectionViewRestriction.objects.create(
            collection=private, restriction_type=CollectionViewRestriction.LOGIN
        )
    return private


@transaction.atomic
def group_collection(group):
    """The group's own collection under the private root, created on first use."""
    private = _private_root()
    name = f"{group.name} [{group.pk}]"
    collection = private.get_children().filter(name=name).first()
    return collection or private.add_child(name=name)
