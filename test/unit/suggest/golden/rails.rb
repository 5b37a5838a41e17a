# config/initializers/cors.rb
# insert_before 0: ahead of Warden/Devise and anything else that could answer a preflight.
Rails.application.config.middleware.insert_before 0, Rack::Cors do
  allow do
    origins 'http://localhost:5173', 'https://admin.example.com'
    resource '*',
      headers: ['authorization', 'content-type', 'x-api-key'],
      methods: [:get, :head, :post, :delete, :patch],
      expose: ['x-request-id', 'x-total-count'],
      credentials: true,
      max_age: 600
  end
end
