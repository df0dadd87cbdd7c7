import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("suivi")
# The default of every thread, not only this one: socle reaches it as ``celery.current_app``
# (socle imports nothing from config).
app.set_default()
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
