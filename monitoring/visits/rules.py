"""Object-level rights of visits, registered in schools.access (see ready())."""
