from django import forms
from django.utils.translation import gettext_lazy as _

from verksam.documents.models import CustomerAccess


class FolderForm(forms.Form):
    name = forms.CharField(label=_("Folder name"), max_length=120)
    customer_access = forms.ChoiceField(
        label=_("The customer's access"), choices=CustomerAccess.choices, widget=forms.RadioSelect
    )
    all_customer_users = forms.BooleanField(label=_("Every user of the customer"), required=False)
    members = forms.MultipleChoiceField(
        label=_("Only these users"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members=(), partner: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [  # type: ignore[attr-defined]
            (m.pk, m.user.name or m.user.email) for m in members
        ]
        if not partner:
            # the level (read/edit) is the firm's decision; the customer's admin picks the users
            self.fields["customer_access"].disabled = True


class RenameForm(forms.Form):
    name = forms.CharField(label=_("New name"), max_length=250)


class MoveForm(forms.Form):
    folder = forms.TypedChoiceField(label=_("Move to folder"), coerce=int)

    def __init__(self, *args, folders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folder"].choices = [  # type: ignore[attr-defined]
            (n.folder.pk, "— " * n.depth + n.folder.name) for n in folders
        ]


class NotificationForm(forms.Form):
    on_new_document = forms.BooleanField(label=_("E-mail me when a document is uploaded"), required=False)
