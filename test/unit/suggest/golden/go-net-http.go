package main

import (
	"log"
	"net/http"
)

var allowedOrigins = map[string]bool{
	"http://localhost:5173":     true,
	"https://admin.example.com": true,
}

// withCORS answers preflights itself and sets the headers before the handler runs, so error
// responses written by the handler keep them.
func withCORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Add("Vary", "Origin")
		origin := r.Header.Get("Origin")
		allowed := allowedOrigins[origin]
		if allowed {
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Credentials", "true")
			h.Set("Access-Control-Expose-Headers", "x-request-id, x-total-count")
		}
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			if allowed {
				h.Set("Access-Control-Allow-Methods", "DELETE, PATCH")
				h.Set("Access-Control-Allow-Headers", "authorization, content-type, x-api-key")
				h.Set("Access-Control-Max-Age", "600")
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func main() {
	mux := http.NewServeMux() // your handlers
	log.Fatal(http.ListenAndServe(":8080", withCORS(mux)))
}
