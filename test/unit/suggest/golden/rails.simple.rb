# config/initializers/cors.rb
# insert_before 0: ahead of Warden/Devise and anything else that could answer a preflight.
Rails.application.config.middleware.insert_before 0, Rack::Cors do
  allow do
    origins 'http://localhost:5173'
    resource '*',
      headers: ['content-type'],
      methods: [:get, :head, :post, :put],
      max_age: 600
  end
end
