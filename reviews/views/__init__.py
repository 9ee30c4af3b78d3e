"""The annual review's pages (2.3.6), one module per section of reviews/urls.py."""
