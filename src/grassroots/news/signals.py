"""The one signal the module listens to: at every sign-in a user's news groups are brought in
line with their roles and scope (``services.access_sync``), so a change of role or scope takes
effect at the next sign-in."""

from typing import Any


def sync_news_access(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from grassroots.news.services import access_sync

    access_sync(user=user)
