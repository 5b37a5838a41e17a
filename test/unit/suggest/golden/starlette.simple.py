from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

routes = []  # your routes

middleware = [
    # First in the list = outermost: it must answer preflights before auth runs.
    Middleware(
        CORSMiddleware,
        allow_origins=["http://localhost:5173"],  # exact match, no trailing slash; never "*" here
        allow_methods=["GET", "HEAD", "POST", "PUT"],  # default is GET only
        max_age=600,
    ),
]

app = Starlette(routes=routes, middleware=middleware)
