"""Monitoring: risks."""
