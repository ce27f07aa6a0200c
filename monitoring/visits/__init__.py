"""Monitoring: visits."""
