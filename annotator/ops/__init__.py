"""Every change to a project, one transaction each, returning what changed."""
