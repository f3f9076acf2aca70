"""The web shell: portal layout, home page, display preferences (elder mode, language)."""
