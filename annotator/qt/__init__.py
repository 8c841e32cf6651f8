"""The only package that imports Qt: models, views, undo commands, windows."""
