"""Pages of strategic personnel planning, one module per page group; `workforce/urls.py` holds the URL table."""
