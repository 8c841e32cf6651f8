"""The module paths that scripts written against earlier versions import.

Importing and exporting live in :mod:`annotator.importing` and
:mod:`annotator.exporting`; the modules here only re-export what the README
documents, so those scripts keep working.
"""
