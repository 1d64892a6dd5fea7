"""The bare Flask page bench/load.py compares against: the same gunicorn settings, no app code."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "<!doctype html><title>Hello</title><p>Hello</p>"
