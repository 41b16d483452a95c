"""The demo owns its commands: nothing below it imports it (tests/test_layers.py), so the
commands that build it live in the demo app."""

from django.core.management import get_commands


def test_the_demo_commands_belong_to_the_demo_app():
    commands = get_commands()
    assert commands["demo"] == "grassroots.demo"
    assert commands["bootstrap"] == "grassroots.demo"
    assert commands["createuser"] == "grassroots.accounts"
