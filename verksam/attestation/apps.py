from django.apps import AppConfig


class AttestationConfig(AppConfig):
    name = "verksam.attestation"
    label = "attestation"
