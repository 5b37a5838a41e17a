from flask import Flask
from flask_cors import CORS

app = Flask(__name__)

CORS(
    app,
    origins=["http://localhost:5173"],  # plain strings: exact match; regexes need ^...$
    methods=["GET", "HEAD", "POST", "PUT"],
    allow_headers=["content-type"],
    max_age=600,
)
