import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  // Before listen(). Methods are listed because the Fastify adapter defaults to GET,HEAD,POST only.
  app.enableCors({
    origin: ['http://localhost:5173'], // echoed only when the request's Origin is listed
    methods: ['GET', 'HEAD', 'POST', 'PUT'],
    allowedHeaders: ['content-type'],
    maxAge: 600,
  });
  await app.listen(process.env.PORT ?? 3000);
}
bootstrap();
