"""Web forms for evidence. They parse input; `evidence.services` judges the files and writes."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from evidence.choices import EvidenceKind
from evidence.files import ACCEPTED, ACCEPTED_LABELS
from evidence.services import DESCRIPTION_MAX_LENGTH

# For the file picker: phones offer only files a seller could actually upload. The server
# still decides by the content, never by this list.
ACCEPT_ATTRIBUTE = ",".join(sorted({ext for t in ACCEPTED.values() for ext in t.extensions}))


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name. Each is judged on its own by the service (an empty file
    is refused there, per file), so this only checks that at least one came."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return files


def _kind_field(**kwargs):
    return forms.ChoiceField(
        label=_("Kind of evidence"),
        choices=[("", _("Choose a kind")), *EvidenceKind.choices],
        **kwargs,
    )


def _description_field(label, **kwargs):
    return forms.CharField(
        label=label,
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        **kwargs,
    )


class EvidenceUploadForm(forms.Form):
    """One or more files, sharing a kind and a description (the plain form, without JS)."""

    def __init__(self, *args, **kwargs):
        # The case page holds other forms with a `description`: ids of their own.
        kwargs.setdefault("auto_id", "evidence_%s")
        super().__init__(*args, **kwargs)

    file = MultipleFileField(
        label=_("Files"),
        error_messages={"required": _("Choose one or more files to upload.")},
        widget=MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
    accepted_labels = ACCEPTED_LABELS

    @property
    def max_file_size(self) -> int:
        return settings.EVIDENCE_MAX_FILE_SIZE

    kind = _kind_field()
    description = _description_field(
        _("Description"),
        help_text=_("What it shows, e.g. “Exit application approved on 1 September”."),
    )


class EvidenceEditForm(forms.Form):
    kind = _kind_field()
    description = _description_field(_("Description"), widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceRemoveForm(forms.Form):
    reason = _description_field(
        _("Reason (optional)"),
        help_text=_("Saved in the timeline, e.g. “Uploaded the wrong screenshot”."),
    )
