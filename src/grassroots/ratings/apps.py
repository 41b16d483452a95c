from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "grassroots.ratings"
    verbose_name = "Đánh giá, xếp loại chất lượng"

    def ready(self):
        from auditlog.registry import auditlog

        from grassroots.ratings import models

        # Re-rating updates the row; auditlog keeps every old and new value (the history).
        auditlog.register(models.Rating, exclude_fields=["updated_at"])
