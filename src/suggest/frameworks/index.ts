// The registry of framework renderers, in the order `cors-lens frameworks` lists them.
import type { FrameworkRenderer } from './common';
import { apache } from './apache';
import { aspnetCore } from './aspnet-core';
import { awsApiGateway } from './aws-api-gateway';
import { awsS3 } from './aws-s3';
import { caddy } from './caddy';
import { cloudflareWorkers } from './cloudflare-workers';
import { django } from './django';
import { express } from './express';
import { fastapi } from './fastapi';
import { fastify } from './fastify';
import { flaskCors } from './flask-cors';
import { goNetHttp } from './go-net-http';
import { goRsCors } from './go-rs-cors';
import { hono } from './hono';
import { koa } from './koa';
import { laravel } from './laravel';
import { nestjs } from './nestjs';
import { nextjs } from './nextjs';
import { nginx } from './nginx';
import { rails } from './rails';
import { rawHeaders } from './raw-headers';
import { springBoot } from './spring-boot';
import { starlette } from './starlette';

export type { FrameworkRenderer, RenderedConfig, ConfigLanguage } from './common';

export const FRAMEWORKS: readonly FrameworkRenderer[] = [
  fastapi,
  starlette,
  flaskCors,
  django,
  express,
  fastify,
  hono,
  koa,
  nestjs,
  nextjs,
  nginx,
  apache,
  caddy,
  goRsCors,
  goNetHttp,
  springBoot,
  aspnetCore,
  rails,
  laravel,
  awsS3,
  awsApiGateway,
  cloudflareWorkers,
  rawHeaders,
];
