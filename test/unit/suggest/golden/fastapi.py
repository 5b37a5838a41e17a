from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()

# ... your routes and other middleware ...

# Wrap the finished app (instead of add_middleware) so CORS sits outside Starlette's error handler:
# unhandled exceptions (500) then carry the CORS headers too. Serve `app` as before (uvicorn main:app).
app = CORSMiddleware(
    app=app,
    allow_origins=["http://localhost:5173", "https://admin.example.com"],  # exact match, no trailing slash; never "*" here
    allow_methods=["GET", "HEAD", "POST", "DELETE", "PATCH"],  # default is GET only
    allow_headers=["authorization", "x-api-key"],
    allow_credentials=True,
    expose_headers=["x-request-id", "x-total-count"],
    max_age=600,
)
