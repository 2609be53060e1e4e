"""Local development: the embedded setup from `make run`."""

from .base import *  # noqa: F403
from .base import MIDDLEWARE, env

# A new user running `make run` sees the site's own Swedish 404/403/500 pages, never Django's debug
# page with the settings and the source (issue 12 item 3). A developer who wants the debug page
# asks for it: `DEBUG=true make run`.
DEBUG = env.bool("DEBUG", default=False)

# Without DEBUG the development server serves no static files: WhiteNoise serves them straight from
# the app and project folders (no collectstatic), and picks up edits at once.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
