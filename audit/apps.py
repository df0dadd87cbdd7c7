from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "audit et traçabilité"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from acces import ports
        from audit import changements
        from audit.journal import JournalAudit

        changements.enregistrer()
        # acces imports nothing from audit: its security events come through this port.
        ports.installer(JournalAudit())
