"""The page: layout and wiring in page.py, one module per panel, the served API in api.py."""
