"""The private Wagtail collections that hold the working groups' files: one
per group, under one private root closed to anonymous readers. Who may read
a file in them is decided by ``workgroups.access.may_read_document``."""

from django.db import transaction

from wagtail.models import Collection, CollectionViewRestriction

from workgroups.models import WorkingGroup

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
    """The group's own collection under the private root, created on first
    use and kept on the group (its name may change, the link does not)."""
    locked = WorkingGroup.objects.select_for_update().get(pk=group.pk)
    if locked.collection_id is None:
        private = _private_root()
        locked.collection = private.add_child(name=f"{group.name} [{group.pk}]")
        locked.save(update_fields=["collection"])
    group.collection = locked.collection
    return group.collection
