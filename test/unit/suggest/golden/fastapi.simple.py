from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()

# Add it after every other middleware: the last one added runs first and answers preflights.
app.add_middleware(
    CORSMiddleware,
    allow_origins=["http://localhost:5173"],  # exact match, no trailing slash; never "*" here
    allow_methods=["GET", "HEAD", "POST", "PUT"],  # default is GET only
    max_age=600,
)
