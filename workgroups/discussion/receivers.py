"""Every working group has its discussion room from the moment it exists,
whichever way it is made (the admin, a script, the demo), so that reading a
room never has to write one (docs/subsystems/discussion.md)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from workgroups.models import Room, WorkingGroup


@receiver(post_save, sender=WorkingGroup)
def group_created(sender, instance, created, raw=False, **kwargs):
    # A fixture being loaded (raw) brings its own rooms.
    if created and not raw:
        Room.objects.create(group=instance)
