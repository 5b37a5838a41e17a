import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  // Before listen(). Methods are listed because the Fastify adapter defaults to GET,HEAD,POST only.
  app.enableCors({
    origin: ['http://localhost:5173', 'https://admin.example.com'], // echoed only when the request's Origin is listed
    methods: ['GET', 'HEAD', 'POST', 'DELETE', 'PATCH'],
    allowedHeaders: ['authorization', 'content-type', 'x-api-key'],
    exposedHeaders: ['x-request-id', 'x-total-count'],
    credentials: true,
    maxAge: 600,
  });
  await app.listen(process.env.PORT ?? 3000);
}
bootstrap();
