"""Errors the store raises with messages meant for the user."""


class ProjectError(Exception):
    """A project file cannot be opened or written; the message says why."""


class NotAProjectError(ProjectError):
    """The file is not an Annotator project."""


class NewerProjectError(ProjectError):
    """The file was written by a newer version of the app."""
