from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "grassroots.places"
    verbose_name = "Địa bàn"

    def ready(self):
        from auditlog.registry import auditlog

        from grassroots.places import models

        auditlog.register(models.Place)
        auditlog.register(models.PlaceVersion, exclude_fields=["name_folded"])
        auditlog.register(models.PlaceLineage)
