"""Sinh hoạt chi bộ."""
