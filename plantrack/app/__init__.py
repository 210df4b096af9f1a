"""The Streamlit adapter: cached data, URL state, widgets and filter bars, the page list, the server.
Pages (pages/*.py) and app.py use these; nothing below this package imports Streamlit."""
