"""The repository's machinery (platform runs, …): never shipped to students; may import `utils`, never the reverse."""
