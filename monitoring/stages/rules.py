"""Object-level rights of stages, registered in schools.access (see ready())."""
