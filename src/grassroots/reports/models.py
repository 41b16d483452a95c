"""Báo cáo thống kê."""
