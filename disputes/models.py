"""Models of the app; see its docstring."""
