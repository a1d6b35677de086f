"""The pool's pages, one module per page group; `pool/urls.py` holds their whole URL table."""
