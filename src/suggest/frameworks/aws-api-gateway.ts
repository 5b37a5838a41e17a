// AWS API Gateway HTTP API CORS configuration (`aws apigatewayv2 update-api --cors-configuration file://cors.json`).
import type { OriginPolicy } from '../policy';
import { methodsWithSafelisted, safePolicy, type FrameworkRenderer } from './common';

export const awsApiGateway: FrameworkRenderer = {
  id: 'aws-api-gateway',
  label: 'AWS API Gateway (HTTP API)',
  targetVersion: 'API Gateway v2 (HTTP APIs)',
  language: 'json',
  defaults: "API Gateway's CORS settings replace its defaults; GET, HEAD and POST are listed with the methods seen.",
  render(policy: OriginPolicy) {
    const { p, warnings } = safePolicy(policy);
    const cfg: Record<string, unknown> = {
      AllowOrigins: p.allowOrigins,
      AllowMethods: methodsWithSafelisted(p),
    };
    if (p.requestHeaders.length) cfg.AllowHeaders = p.requestHeaders;
    if (p.exposeHeaders.length) cfg.ExposeHeaders = p.exposeHeaders;
    if (p.credentials) cfg.AllowCredentials = true;
    cfg.MaxAge = p.maxAge;
    const code = `${JSON.stringify(cfg, null, 2)}\n`;
    warnings.push(
      'Once CORS is configured on an HTTP API, API Gateway answers preflights itself and ignores CORS headers from the integration. With an authorizer on $default, add an unauthenticated OPTIONS /{proxy+} route.',
    );
    warnings.push(
      'REST APIs differ: with Lambda proxy integration the function must return the headers on every response, and gateway errors (401/403/5xx) need Gateway Responses DEFAULT_4XX/DEFAULT_5XX with the headers; redeploy the stage.',
    );
    return { code, filename: 'cors.json', warnings };
  },
};
