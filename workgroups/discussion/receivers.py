"""Every working group has its discussion room from the moment it exists,
whichever way it is made (the admin, a script, the demo), so that reading a
room never has to write one (docs/subsystems/discussion.md); and a room
that goes, goes whole."""

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from workgroups.models import Room, WorkingGroup


@receiver(post_save, sender=WorkingGroup)
def group_created(sender, instance, created, raw=False, **kwargs):
    # A fixture being loaded (raw) brings its own rooms.
    if created and not raw:
        Room.objects.create(group=instance)


@receiver(pre_delete, sender=Room)
def room_deleted(sender, instance, **kwargs):
    """Sockets record themselves (``Connection`` rows) from other processes
    at any moment: the room's row is held from here until the deletion
    commits, so that no row is added between the cascade's delete of its
    connections and the room's own (PostgreSQL refused the whole deletion
    of a group whose socket was connecting then)."""
    list(Room.objects.select_for_update().filter(pk=instance.pk).values_list("pk"))
