from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "grassroots.accounts"
    verbose_name = "Người dùng"

    def ready(self):
        from auditlog.registry import auditlog

        from grassroots.accounts import models

        # Issuing and revoking API tokens is audited; the key hash itself is not worth logging.
        auditlog.register(models.ApiToken, exclude_fields=["key_hash", "last_used_at"])
