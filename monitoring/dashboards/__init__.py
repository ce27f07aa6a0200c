"""Monitoring: dashboards."""
