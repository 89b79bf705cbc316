"""Serializers of the programme's fields in the API (``api_fields`` of the
page types in home/models/programme.py; the API itself is home/api.py)."""

from rest_framework import serializers

from django.utils import translation


class IndicatorSerializer(serializers.Serializer):
    """An action's indicator: baseline, target and the value reached."""

    name = serializers.CharField()
    unit = serializers.CharField()
    baseline = serializers.DecimalField(12, 2, coerce_to_string=False)
    target = serializers.DecimalField(12, 2, coerce_to_string=False)
    current_value = serializers.DecimalField(12, 2, coerce_to_string=False)
    progress = serializers.IntegerField()


class StatusChangeSerializer(serializers.Serializer):
    date = serializers.DateField()
    status = serializers.CharField()
    note = serializers.CharField()


class StatusLabelField(serializers.Field):
    """The action's status in the language of its page."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, page):
        with translation.override(page.locale.language_code):
            return str(page.get_status_display())


class RecommendationsField(serializers.Field):
    """The public, live recommendations that feed an action: id, title and
    address, in the action's language where translated."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, action):
        request = self.context.get("request")
        return [
            {
                "id": page.pk,
                "title": page.title,
                "html_url": page.get_full_url(request),
            }
            for page in action.feeding_recommendations()
        ]
