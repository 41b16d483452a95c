"""Tin tức."""
