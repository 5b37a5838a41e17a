// Mixed apps (mixed-apps.ts) for rack-cors, Go (rs/cors and net/http) and the proxies nginx, Apache httpd and Caddy.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { originRegex, startMixedBackend, type MixedServer } from './mixed-apps';
import { apacheConf, buildAndStartGo, freePort, nginxConf, scratchDir, startProcess, type Running } from './servers';

// ---------------------------------------------------------------------------------------------------
// rack-cors under puma: one `resource` per area in the same `allow` block.

const RACK_APP = `
run lambda { |env|
  route = "#{env['REQUEST_METHOD']} #{env['PATH_INFO']}"
  case route
  when 'GET /api/items' then [200, { 'Content-Type' => 'text/plain', 'X-Request-Id' => 'req-7', 'X-Total-Count' => '42', 'ETag' => '"v1"' }, ['items']]
  when 'GET /api/me', 'PUT /api/items', 'POST /api/items', 'PATCH /api/items/1', 'DELETE /api/items/1', 'GET /public/stats'
    [200, { 'Content-Type' => 'text/plain' }, ['ok']]
  when /^OPTIONS / then [405, { 'Content-Type' => 'text/plain' }, ['method not allowed']]
  else [404, { 'Content-Type' => 'text/plain' }, ['not found']]
  end
}
`;

const rackBroken = (origins: string[]) => `use Rack::Cors do
  allow do
    origins ${origins.map((o) => `'${o}'`).join(', ')}
    resource '/api/*', headers: ['Authorization', 'Content-Type', 'X-CSRF-Token'], methods: [:get, :post, :put, :delete],
      expose: ['X-Request-Id', 'ETag'], credentials: true
    resource '/public/*', methods: [:get]
  end
end
`;

const railsMixed: MixedServer = {
  id: 'rails',
  apt: ['ruby-rack-cors', 'ruby-rack', 'puma'],
  async start({ port, origins, code }) {
    const dir = scratchDir('mixed-rack');
    // Harness adaptation: outside Rails, the same block is mounted with Rack's `use`.
    const corsBlock = code
      ? code.replace('Rails.application.config.middleware.insert_before 0, Rack::Cors do', 'use Rack::Cors do')
      : rackBroken(origins);
    writeFileSync(join(dir, 'config.ru'), `require 'rack/cors'\n${corsBlock}\n${RACK_APP}`);
    return startProcess('puma', ['-b', `tcp://127.0.0.1:${port}`, '-t', '1:4', join(dir, 'config.ru')], port, {
      cwd: dir,
    });
  },
};

// ---------------------------------------------------------------------------------------------------
// Go rs/cors: one cors.New per area, each wrapping that area's mux.

const GO_MIXED_HANDLERS = `mux := http.NewServeMux()
	ok := func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }
	mux.HandleFunc("/api/me", ok)
	mux.HandleFunc("/api/items", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "GET" {
			w.Header().Set("X-Request-Id", "req-7")
			w.Header().Set("X-Total-Count", "42")
			w.Header().Set("ETag", "\\"v1\\"")
		}
		w.Write([]byte("items"))
	})
	mux.HandleFunc("/api/items/", ok)
	mux.HandleFunc("/public/stats", ok)`;

const goBroken = (origins: string[]) => `package main

import (
	"log"
	"net/http"

	"github.com/rs/cors"
)

func main() {
	${GO_MIXED_HANDLERS}
	origins := []string{${origins.map((o) => `"${o}"`).join(', ')}}
	api := cors.New(cors.Options{AllowedOrigins: origins, AllowCredentials: true, AllowedMethods: []string{"GET", "POST", "PUT", "DELETE"},
		AllowedHeaders: []string{"Authorization", "Content-Type", "X-CSRF-Token"}, ExposedHeaders: []string{"X-Request-Id", "ETag"}})
	public := cors.New(cors.Options{AllowedOrigins: origins, AllowedMethods: []string{"GET"}})
	root := http.NewServeMux()
	root.Handle("/api/", api.Handler(mux))
	root.Handle("/public/", public.Handler(mux))
	log.Fatal(http.ListenAndServe(":8080", root))
}
`;

/** Plain net/http: one hand-written CORS wrapper per area (what the go-net-http renderer replaces). */
const goNetHttpBroken = (origins: string[]) => `package main

import (
	"log"
	"net/http"
)

var allowedOrigins = map[string]bool{${origins.map((o) => `"${o}": true`).join(', ')}}

func withCORS(next http.Handler, credentials bool, methods, headers, expose string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Add("Vary", "Origin")
		origin := r.Header.Get("Origin")
		if allowedOrigins[origin] {
			h.Set("Access-Control-Allow-Origin", origin)
			if credentials {
				h.Set("Access-Control-Allow-Credentials", "true")
			}
			if expose != "" {
				h.Set("Access-Control-Expose-Headers", expose)
			}
			if r.Method == http.MethodOptions {
				h.Set("Access-Control-Allow-Methods", methods)
				if headers != "" {
					h.Set("Access-Control-Allow-Headers", headers)
				}
			}
		}
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func main() {
	${GO_MIXED_HANDLERS}
	root := http.NewServeMux()
	root.Handle("/api/", withCORS(mux, true, "GET, POST, PUT, DELETE", "Authorization, Content-Type, X-CSRF-Token", "X-Request-Id, ETag"))
	root.Handle("/public/", withCORS(mux, false, "GET", "", ""))
	log.Fatal(http.ListenAndServe(":8080", root))
}
`;

function goMixedServer(id: string, apt: string[], broken: (origins: string[]) => string): MixedServer {
  return {
    id,
    apt,
    async start({ port, origins, code }) {
      const dir = scratchDir(`mixed-${id}`);
      // Harness adaptations: the test handlers where "your handlers" go, and a loopback address.
      const src = (code ?? broken(origins))
        .replace('mux := http.NewServeMux() // your handlers', GO_MIXED_HANDLERS)
        .replace('":8080"', `"127.0.0.1:${port}"`);
      return buildAndStartGo(dir, src, port);
    },
  };
}

const goMixed = goMixedServer('go-rs-cors', ['golang-go', 'golang-github-rs-cors-dev'], goBroken);
const goNetHttpMixed = goMixedServer('go-net-http', ['golang-go'], goNetHttpBroken);

// ---------------------------------------------------------------------------------------------------
// nginx in front of a plain backend: one location per area, each with its own add_header set.

const nginxBroken = (port: number, backendPort: number, origins: string[]) => `
    map $http_origin $cors_origin {
        default "";
${origins.map((o) => `        "${o}" $http_origin;`).join('\n')}
    }
    server {
        listen 127.0.0.1:${port};
        location /api/ {
            if ($request_method = OPTIONS) {
                add_header Access-Control-Allow-Origin $cors_origin always;
                add_header Access-Control-Allow-Credentials "true" always;
                add_header Access-Control-Allow-Methods "GET, POST, PUT, DELETE" always;
                add_header Access-Control-Allow-Headers "Authorization, Content-Type, X-CSRF-Token" always;
                add_header Vary Origin always;
                return 204;
            }
            add_header Access-Control-Allow-Origin $cors_origin always;
            add_header Access-Control-Allow-Credentials "true" always;
            add_header Access-Control-Expose-Headers "X-Request-Id, ETag" always;
            add_header Vary Origin always;
            proxy_pass http://127.0.0.1:${backendPort};
        }
        location /public/ {
            if ($request_method = OPTIONS) {
                add_header Access-Control-Allow-Origin $cors_origin always;
                add_header Access-Control-Allow-Methods "GET" always;
                add_header Vary Origin always;
                return 204;
            }
            add_header Access-Control-Allow-Origin $cors_origin always;
            add_header Vary Origin always;
            proxy_pass http://127.0.0.1:${backendPort};
        }
    }`;

const nginxMixed: MixedServer = {
  id: 'nginx',
  apt: ['nginx'],
  async start({ port, origins, code }) {
    const dir = scratchDir('mixed-nginx');
    const backendPort = await freePort();
    const backend = await startMixedBackend(backendPort);
    // Harness adaptations only: bind loopback, and point "your upstream" at the test backend.
    const body =
      code === null
        ? nginxBroken(port, backendPort, origins)
        : code
            .replace(`listen ${port};`, `listen 127.0.0.1:${port};`)
            .replace('proxy_pass http://127.0.0.1:3000;', `proxy_pass http://127.0.0.1:${backendPort};`);
    writeFileSync(join(dir, 'nginx.conf'), nginxConf(dir, body));
    let proxy: Running;
    try {
      proxy = await startProcess('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], port, {
        cwd: dir,
      });
    } catch (e) {
      await backend.close();
      throw e;
    }
    return {
      logs: () => proxy.logs(),
      close: async () => {
        await proxy.close();
        await backend.close();
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------------
// Apache httpd and Caddy in front of the plain backend: one header set per path.

const apacheBroken = (origins: string[]) => `SetEnvIf Origin "${originRegex(origins)}" CORS_ORIGIN=$0
<Location "/api/">
    Header always set Access-Control-Allow-Origin "%{CORS_ORIGIN}e" env=CORS_ORIGIN
    Header always set Access-Control-Allow-Credentials "true" env=CORS_ORIGIN
    Header always set Access-Control-Expose-Headers "X-Request-Id, ETag" env=CORS_ORIGIN
    Header always set Access-Control-Allow-Methods "GET, POST, PUT, DELETE" env=CORS_ORIGIN
    Header always set Access-Control-Allow-Headers "Authorization, Content-Type, X-CSRF-Token" env=CORS_ORIGIN
</Location>
<Location "/public/">
    Header always set Access-Control-Allow-Origin "%{CORS_ORIGIN}e" env=CORS_ORIGIN
    Header always set Access-Control-Allow-Methods "GET" env=CORS_ORIGIN
</Location>
Header always merge Vary "Origin"
RewriteEngine On
RewriteCond %{REQUEST_METHOD} =OPTIONS
RewriteRule ^ - [R=204,L]
`;

function proxied(
  id: string,
  apt: string[],
  run: (dir: string, port: number, backendPort: number, body: string) => Promise<Running>,
  broken: (port: number, backendPort: number, origins: string[]) => string,
  adapt: (code: string, port: number, backendPort: number) => string,
): MixedServer {
  return {
    id,
    apt,
    async start({ port, origins, code }) {
      const dir = scratchDir(`mixed-${id}`);
      const backendPort = await freePort();
      const backend = await startMixedBackend(backendPort);
      try {
        const proxy = await run(
          dir,
          port,
          backendPort,
          code === null ? broken(port, backendPort, origins) : adapt(code, port, backendPort),
        );
        return {
          logs: () => proxy.logs(),
          close: async () => {
            await proxy.close();
            await backend.close();
          },
        };
      } catch (e) {
        await backend.close();
        throw e;
      }
    },
  };
}

const apacheMixed = proxied(
  'apache',
  ['apache2'],
  async (dir, port, backendPort, body) => {
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'apache.conf'), apacheConf(dir, port, backendPort, body));
    return startProcess('apache2', ['-f', join(dir, 'apache.conf'), '-DFOREGROUND'], port, { cwd: dir });
  },
  (_port, _backendPort, origins) => apacheBroken(origins),
  (code) => code,
);

const caddyBroken = (port: number, backendPort: number, origins: string[]) => `http://127.0.0.1:${port} {
	@api_origin {
		path /api/*
		header_regexp Origin "${originRegex(origins)}"
	}
	@public_origin {
		path /public/*
		header_regexp Origin "${originRegex(origins)}"
	}
	header Vary Origin
	header @api_origin {
		Access-Control-Allow-Origin "{http.request.header.Origin}"
		Access-Control-Allow-Credentials true
		Access-Control-Expose-Headers "X-Request-Id, ETag"
		Access-Control-Allow-Methods "GET, POST, PUT, DELETE"
		Access-Control-Allow-Headers "Authorization, Content-Type, X-CSRF-Token"
	}
	header @public_origin {
		Access-Control-Allow-Origin "{http.request.header.Origin}"
		Access-Control-Allow-Methods "GET"
	}
	@preflight method OPTIONS
	handle @preflight {
		respond 204
	}
	handle {
		reverse_proxy 127.0.0.1:${backendPort}
	}
}
`;

const caddyMixed = proxied(
  'caddy',
  ['caddy'],
  async (dir, port, _backendPort, site) => {
    // Harness adaptations: no admin endpoint / automatic HTTPS.
    writeFileSync(join(dir, 'Caddyfile'), `{\n\tadmin off\n\tauto_https off\n}\n\n${site}`);
    return startProcess('caddy', ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], port, {
      cwd: dir,
      env: { XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir, HOME: dir },
    });
  },
  caddyBroken,
  (code, _port, backendPort) => code.replace('reverse_proxy 127.0.0.1:3000', `reverse_proxy 127.0.0.1:${backendPort}`),
);

export { railsMixed, goMixed, goNetHttpMixed, nginxMixed, apacheMixed, caddyMixed };
