from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "grassroots.ratings"
    verbose_name = "Đánh giá, xếp loại chất lượng"
