"""The read-only REST API (Django REST Framework), scoped exactly like the web pages."""
