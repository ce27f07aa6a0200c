"""Object-level rights of dashboards, registered in schools.access (see ready())."""
