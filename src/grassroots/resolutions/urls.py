from grassroots.resolutions import indicator_urls

app_name = "resolutions"

urlpatterns: list = []

urlpatterns += indicator_urls.urlpatterns
