"""Team coding in the window: coder copies, merging coders' files, coder progress."""
