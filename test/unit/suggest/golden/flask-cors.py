from flask import Flask
from flask_cors import CORS

app = Flask(__name__)

CORS(
    app,
    origins=["http://localhost:5173", "https://admin.example.com"],  # plain strings: exact match; regexes need ^...$
    methods=["GET", "HEAD", "POST", "DELETE", "PATCH"],
    allow_headers=["authorization", "content-type", "x-api-key"],
    expose_headers=["x-request-id", "x-total-count"],
    supports_credentials=True,
    max_age=600,
)
