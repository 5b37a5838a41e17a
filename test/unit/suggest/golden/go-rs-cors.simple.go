package main

import (
	"log"
	"net/http"

	"github.com/rs/cors"
)

func main() {
	mux := http.NewServeMux() // your handlers

	c := cors.New(cors.Options{
		AllowedOrigins: []string{"http://localhost:5173"},
		AllowedMethods: []string{"GET", "HEAD", "POST", "PUT"},
		AllowedHeaders: []string{"content-type"},
		MaxAge:         600,
	})
	log.Fatal(http.ListenAndServe(":8080", c.Handler(mux)))
}
