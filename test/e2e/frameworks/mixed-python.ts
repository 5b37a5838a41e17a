// Mixed apps (mixed-apps.ts) in Python: FastAPI, Starlette, Flask-CORS and Django, each with per-area CORS.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pyList, type MixedServer } from './mixed-apps';
import { scratchDir, startProcess } from './servers';

// ---------------------------------------------------------------------------------------------------
// FastAPI (Starlette's CORSMiddleware): one mounted sub-application per area, each with its own middleware.

const fastapiAreas = (withCors: boolean, origins: string[]) => `
from fastapi import FastAPI as _FastAPI, Response as _Response
${withCors ? 'from fastapi.middleware.cors import CORSMiddleware as _CORS' : ''}

api = _FastAPI()
public = _FastAPI()
${
  withCors
    ? `api.add_middleware(_CORS, allow_origins=${pyList(origins)}, allow_credentials=True, allow_methods=["GET", "POST", "PUT", "DELETE"], allow_headers=["Authorization", "Content-Type", "X-CSRF-Token"], expose_headers=["X-Request-Id", "ETag"])
public.add_middleware(_CORS, allow_origins=${pyList(origins)}, allow_methods=["GET"])`
    : ''
}


@api.get("/me")
def _me():
    return "me"


@api.get("/items")
def _items(response: _Response):
    response.headers["X-Request-Id"] = "req-7"
    response.headers["X-Total-Count"] = "42"
    response.headers["ETag"] = '"v1"'
    return "items"


@api.put("/items")
def _put():
    return "put"


@api.post("/items")
def _post():
    return "post"


@api.patch("/items/{item_id}")
def _patch(item_id: int):
    return "patch"


@api.delete("/items/{item_id}")
def _delete(item_id: int):
    return "delete"


@public.get("/stats")
def _stats():
    return "stats"


app.mount("/api", api)
app.mount("/public", public)
`;

const fastapiMixed: MixedServer = {
  id: 'fastapi',
  apt: ['python3-fastapi', 'python3-starlette', 'python3-uvicorn'],
  async start({ port, origins, code }) {
    const dir = scratchDir('mixed-fastapi');
    const areas = fastapiAreas(code === null, origins);
    let src: string;
    if (code === null)
      src = `from fastapi import FastAPI\n\napp = FastAPI()  # no CORS at the root: each area has its own\n${areas}`;
    else {
      // The wrap form (app = CORSMiddleware(app=app, ...)) leaves a placeholder where routes go.
      const marker = '# ... your routes and other middleware ...';
      src = code.includes(marker) ? code.replace(marker, areas) : `${code}\n${areas}`;
    }
    writeFileSync(join(dir, 'main.py'), src);
    return startProcess(
      '/usr/bin/python3',
      ['-m', 'uvicorn', 'main:app', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warning'],
      port,
      { cwd: dir },
    );
  },
};

// ---------------------------------------------------------------------------------------------------
// Starlette: one Mount per area, each a Starlette app with its own CORSMiddleware.

const starletteAreas = (
  withCors: boolean,
  origins: string[],
) => `from starlette.applications import Starlette as _Starlette
from starlette.middleware import Middleware as _Middleware
from starlette.middleware.cors import CORSMiddleware as _CORS
from starlette.responses import PlainTextResponse as _Text
from starlette.routing import Mount as _Mount, Route as _Route


async def _me(request):
    return _Text("me")


async def _items(request):
    if request.method == "GET":
        return _Text("items", headers={"X-Request-Id": "req-7", "X-Total-Count": "42", "ETag": '"v1"'})
    return _Text(request.method.lower())


async def _item(request):
    return _Text(request.method.lower())


async def _stats(request):
    return _Text("stats")


_api_cors = ${withCors ? `[_Middleware(_CORS, allow_origins=${pyList(origins)}, allow_credentials=True, allow_methods=["GET", "POST", "PUT", "DELETE"], allow_headers=["Authorization", "Content-Type", "X-CSRF-Token"], expose_headers=["X-Request-Id", "ETag"])]` : '[]'}
_public_cors = ${withCors ? `[_Middleware(_CORS, allow_origins=${pyList(origins)}, allow_methods=["GET"])]` : '[]'}
routes = [
    _Mount("/api", app=_Starlette(routes=[
        _Route("/me", _me),
        _Route("/items", _items, methods=["GET", "PUT", "POST"]),
        _Route("/items/{item_id:int}", _item, methods=["PATCH", "DELETE"]),
    ], middleware=_api_cors)),
    _Mount("/public", app=_Starlette(routes=[_Route("/stats", _stats)], middleware=_public_cors)),
]`;

const starletteMixed: MixedServer = {
  id: 'starlette',
  apt: ['python3-starlette', 'python3-uvicorn'],
  async start({ port, origins, code }) {
    const dir = scratchDir('mixed-starlette');
    const areas = starletteAreas(code === null, origins);
    // Harness adaptation: the test routes where "your routes" go.
    const src =
      code === null
        ? `${areas}\n\napp = _Starlette(routes=routes)  # no CORS at the root: each area has its own\n`
        : code.replace('routes = []  # your routes', areas);
    writeFileSync(join(dir, 'app.py'), src);
    return startProcess(
      '/usr/bin/python3',
      ['-m', 'uvicorn', 'app:app', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warning'],
      port,
      { cwd: dir },
    );
  },
};

// ---------------------------------------------------------------------------------------------------
// Flask-CORS: one `resources` entry per area.

const FLASK_ROUTES = (port: number) => `

@app.route("/api/me")
def _me():
    return "me"


@app.route("/api/items", methods=["GET", "PUT", "POST"])
def _items():
    from flask import request
    if request.method == "GET":
        return "items", 200, {"X-Request-Id": "req-7", "X-Total-Count": "42", "ETag": '"v1"'}
    return request.method.lower()


@app.route("/api/items/<int:item_id>", methods=["PATCH", "DELETE"])
def _item(item_id):
    return "item"


@app.route("/public/stats")
def _stats():
    return "stats"


app.run(host="127.0.0.1", port=${port})
`;

const flaskBroken = (origins: string[]) => `from flask import Flask
from flask_cors import CORS

app = Flask(__name__)
CORS(app, resources={
    r"/api/*": {"origins": ${pyList(origins)}, "supports_credentials": True, "methods": ["GET", "POST", "PUT", "DELETE"],
                "allow_headers": ["Authorization", "Content-Type", "X-CSRF-Token"], "expose_headers": ["X-Request-Id", "ETag"]},
    r"/public/*": {"origins": ${pyList(origins)}, "methods": ["GET"]},
})
`;

const flaskMixed: MixedServer = {
  id: 'flask-cors',
  apt: ['python3-flask', 'python3-flask-cors'],
  async start({ port, origins, code }) {
    const dir = scratchDir('mixed-flask');
    writeFileSync(join(dir, 'app.py'), `${code ?? flaskBroken(origins)}\n${FLASK_ROUTES(port)}`);
    return startProcess('/usr/bin/python3', [join(dir, 'app.py')], port, { cwd: dir });
  },
};

// ---------------------------------------------------------------------------------------------------
// Django: django-cors-headers for /api only (CORS_URLS_REGEX), and a hand-written CORS view for /public.

const DJANGO_BASE_SETTINGS = `SECRET_KEY = "e2e-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "urls"
INSTALLED_APPS = []
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
DATABASES = {}
USE_TZ = True
`;

const djangoBroken = (origins: string[]) => `INSTALLED_APPS += ["corsheaders"]
MIDDLEWARE.insert(0, "corsheaders.middleware.CorsMiddleware")
CORS_ALLOWED_ORIGINS = ${pyList(origins)}
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_CREDENTIALS = True
CORS_ALLOW_METHODS = ["GET", "POST", "PUT", "DELETE"]
CORS_ALLOW_HEADERS = ["authorization", "content-type", "x-csrf-token"]
CORS_EXPOSE_HEADERS = ["X-Request-Id", "ETag"]
`;

const djangoUrls = (publicCors: boolean, origins: string[]) => `from django.http import HttpResponse
from django.urls import path

PUBLIC_CORS = ${publicCors ? 'True' : 'False'}
ORIGINS = ${pyList(origins)}


def me(request):
    return HttpResponse("me")


def items(request):
    response = HttpResponse(request.method.lower())
    if request.method == "GET":
        response["X-Request-Id"] = "req-7"
        response["X-Total-Count"] = "42"
        response["ETag"] = '"v1"'
    return response


def item(request, item_id):
    return HttpResponse(request.method.lower())


def stats(request):
    response = HttpResponse(status=204) if request.method == "OPTIONS" else HttpResponse("stats")
    origin = request.headers.get("Origin")
    if PUBLIC_CORS and origin in ORIGINS:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = "GET"
        response["Vary"] = "Origin"
    return response


urlpatterns = [path("api/me", me), path("api/items", items), path("api/items/<int:item_id>", item), path("public/stats", stats)]
`;

const djangoMixed: MixedServer = {
  id: 'django',
  apt: ['python3-django', 'python3-django-cors-headers'],
  async start({ port, origins, code }) {
    const dir = scratchDir('mixed-django');
    writeFileSync(join(dir, 'settings.py'), `${DJANGO_BASE_SETTINGS}\n${code ?? djangoBroken(origins)}`);
    // The generated settings replace the whole CORS setup, the hand-written /public headers included.
    writeFileSync(join(dir, 'urls.py'), djangoUrls(code === null, origins));
    writeFileSync(
      join(dir, 'app.py'),
      [
        'import os, sys',
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")',
        'from django.core.management import execute_from_command_line',
        `execute_from_command_line([sys.argv[0], "runserver", "--noreload", "127.0.0.1:${port}"])`,
        '',
      ].join('\n'),
    );
    return startProcess('/usr/bin/python3', [join(dir, 'app.py')], port, { cwd: dir });
  },
};

export { fastapiMixed, starletteMixed, flaskMixed, djangoMixed };
