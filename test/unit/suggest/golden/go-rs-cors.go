package main

import (
	"log"
	"net/http"

	"github.com/rs/cors"
)

func main() {
	mux := http.NewServeMux() // your handlers

	c := cors.New(cors.Options{
		AllowedOrigins:   []string{"http://localhost:5173", "https://admin.example.com"},
		AllowedMethods:   []string{"GET", "HEAD", "POST", "DELETE", "PATCH"},
		AllowedHeaders:   []string{"authorization", "content-type", "x-api-key"},
		ExposedHeaders:   []string{"x-request-id", "x-total-count"},
		AllowCredentials: true,
		MaxAge:           600,
	})
	log.Fatal(http.ListenAndServe(":8080", c.Handler(mux)))
}
