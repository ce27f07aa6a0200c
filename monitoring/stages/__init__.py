"""Monitoring: stages."""
