from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware

routes = []  # your routes

# Wrapping the whole app puts CORS outside ServerErrorMiddleware: unhandled exceptions (500)
# then carry the CORS headers too, instead of looking like CORS failures.
app = CORSMiddleware(
    app=Starlette(routes=routes),
    allow_origins=["http://localhost:5173", "https://admin.example.com"],  # exact match, no trailing slash; never "*" here
    allow_methods=["GET", "HEAD", "POST", "DELETE", "PATCH"],  # default is GET only
    allow_headers=["authorization", "x-api-key"],
    allow_credentials=True,
    expose_headers=["x-request-id", "x-total-count"],
    max_age=600,
)
