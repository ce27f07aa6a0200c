"""Monitoring: execution."""
