"""Benchmark and load test of the portal (issue 7): `make bench`, `make loadtest`."""
