"""The server room: the web application (``app.py``: the pages and the SPARQL endpoint, one
blueprint per concern), the store and its query workers (``store/``), the stored questions
(``questions/``), and the commands that serve, query and publish the graph."""
