from django import forms
from django.utils.translation import gettext_lazy as _


class CollaborationForm(forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=200)
    orgnr = forms.CharField(label=_("Organisationsnummer"), max_length=13, help_text=_("NNNNNN-NNNN"))
    contact_name = forms.CharField(label=_("Contact person"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Contact person's e-mail"), max_length=254)
