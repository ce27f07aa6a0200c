"""Object-level rights of execution, registered in schools.access (see ready())."""
