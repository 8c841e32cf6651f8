"""View ▸ Statistics: counts and cross tables of the project, as tables and charts."""
