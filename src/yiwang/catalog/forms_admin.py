"""Back-office forms for item versions (the services validate; these only collect)."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from yiwang.catalog import codes
from yiwang.catalog.models import Fee, ItemVersion, Material


class MultiCodeField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class VersionForm(forms.ModelForm):
    audiences = MultiCodeField(label=_("服务对象"), choices=codes.Audience.choices)
    handling_forms = MultiCodeField(label=_("办理形式"), choices=codes.HandlingForm.choices)
    online_depth = MultiCodeField(label=_("网上办理深度"), choices=codes.OnlineDepth.choices, required=False)

    class Meta:
        model = ItemVersion
        fields = [
            "name", "summary", "item_type", "exercise_level", "subject_nature", "undertaking_org", "legal_basis",
            "conditions", "legal_limit_value", "legal_limit_unit", "promised_limit_value", "promised_limit_unit",
            "case_type", "process_template", "visits", "visits_reason", "charges", "audiences", "handling_forms",
            "online_depth", "tongban_scope", "accepted_at", "place", "window", "hours", "consult_phone",
            "supervise_phone", "result_name", "certificate_type", "supports_appointment", "supports_online_payment",
            "supports_delivery", "change_note",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
            "conditions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


MaterialFormSet = inlineformset_factory(
    ItemVersion, Material, extra=1, can_delete=True,
    fields=["code", "name", "form", "originals", "copies", "necessity", "source", "issuer", "certificate_type",
            "notes"],
)
FeeFormSet = inlineformset_factory(ItemVersion, Fee, extra=1, can_delete=True,
                                   fields=["name", "standard", "basis", "reduction"])


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(label=_("我已核对以上内容"), required=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
