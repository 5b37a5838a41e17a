<?php

// config/cors.php (Laravel 11+: create it with `php artisan config:publish cors`)
return [
    'paths' => ['api/*'], // requests outside these paths get no CORS headers
    'allowed_methods' => ['GET', 'HEAD', 'POST', 'PUT'],
    'allowed_origins' => ['http://localhost:5173'],
    'allowed_origins_patterns' => [],
    'allowed_headers' => ['content-type'],
    'exposed_headers' => [],
    'max_age' => 600,
    'supports_credentials' => false,
];
