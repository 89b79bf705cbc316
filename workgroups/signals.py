from django.dispatch import Signal

# Sent after the transaction that removed a membership commits, with
# ``group_id`` and ``user_id``: open live connections of that person to the
# group must close.
membership_removed = Signal()
