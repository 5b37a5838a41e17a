# settings.py
from corsheaders.defaults import default_headers, default_methods

INSTALLED_APPS += ["corsheaders"]
# First: a middleware above it that answers by itself (CommonMiddleware redirects, auth) sends no CORS headers.
MIDDLEWARE.insert(0, "corsheaders.middleware.CorsMiddleware")

CORS_ALLOWED_ORIGINS = ["http://localhost:5173", "https://admin.example.com"]  # scheme://host[:port], no trailing slash
CORS_ALLOW_METHODS = (*default_methods,)
CORS_ALLOW_HEADERS = (*default_headers, "x-api-key")
CORS_EXPOSE_HEADERS = ["x-request-id", "x-total-count"]
CORS_ALLOW_CREDENTIALS = True
CORS_PREFLIGHT_MAX_AGE = 600  # default 86400; Chromium caps at 7200
