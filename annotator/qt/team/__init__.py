"""Team work in the window: coder copies, merging coders' files, coder progress,
adjudication."""
