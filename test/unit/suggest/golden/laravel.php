<?php

// config/cors.php (Laravel 11+: create it with `php artisan config:publish cors`)
return [
    'paths' => ['api/*'], // requests outside these paths get no CORS headers
    'allowed_methods' => ['GET', 'HEAD', 'POST', 'DELETE', 'PATCH'],
    'allowed_origins' => ['http://localhost:5173', 'https://admin.example.com'],
    'allowed_origins_patterns' => [],
    'allowed_headers' => ['authorization', 'content-type', 'x-api-key'],
    'exposed_headers' => ['x-request-id', 'x-total-count'],
    'max_age' => 600,
    'supports_credentials' => true,
];
