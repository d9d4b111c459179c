"""How the API reads requests: JSON that cannot hurt the process, and OPTIONS that describes
every view. Set in REST_FRAMEWORK (config/settings.py)."""

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers
from rest_framework.metadata import SimpleMetadata


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with a body nested too deep for Python's parser (2,000 levels of
    brackets raised RecursionError: a 500) answered as the 400 of any malformed body."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("The JSON is nested too deeply.")) from None


class ViewMetadata(SimpleMetadata):
    """OPTIONS: DRF's description of a view, without the fields of a body for views that take
    none (mark all notifications read): DRF asked those for a serializer and failed, a 500."""

    def determine_actions(self, request, view):
        # Imported here: rest_framework.generics reads the API settings, which name this
        # module, at import time.
        from rest_framework.generics import GenericAPIView

        takes_no_body = (
            getattr(view, "serializer_class", None) is None
            and type(view).get_serializer_class is GenericAPIView.get_serializer_class
        )
        if takes_no_body:
            return {}
        return super().determine_actions(request, view)
