"""The resolutions app's API router (``/api/v1/resolutions``)."""

from grassroots.core.api import ScopedRouter
from grassroots.resolutions import indicator_api
from grassroots.resolutions.indicator_selectors import resolution_visible_to

router = ScopedRouter(tags=["resolutions"], visible_to=resolution_visible_to, what="nghị quyết")

indicator_api.add_routes(router)
