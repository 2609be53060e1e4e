"""Production's static files storage: WhiteNoise's compressed manifest storage, each URL worked out
once per process (issue 13).

Every page names ~7 static files (`{% static %}`: the icon, the style sheets, the scripts); the
manifest storage works each URL out anew — the name split from its fragment, the hashed name looked up
in the manifest, joined to STATIC_URL, unquoted — ~0.1 ms each on a loaded 2-core server. The manifest
is read once when the process starts and does not change while it runs (a deploy restarts the
workers), so the URL of a name is remembered. A name not in the manifest still raises every time, as
WhiteNoise's storage does (manifest_strict); DEBUG answers unhashed URLs and is not remembered.
"""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class ManifestStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if force or settings.DEBUG or name is None:
            return super().url(name, force)
        found = self._urls.get(name)
        if found is None:
            found = self._urls[name] = super().url(name)
        return found
