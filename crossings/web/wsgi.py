"""WSGI entry point used by `crossings serve` (granian)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crossings.web.settings")
application = get_wsgi_application()
