"""Views of the roadmaps app: browsing, editing, history."""
