"""Object-level rights of risks, registered in schools.access (see ready())."""
