"""WSGI entry point for gunicorn (`gunicorn -c gunicorn.conf.py wsgi:app`); the gevent worker patches first."""
from medreg import create_app

app = create_app()
