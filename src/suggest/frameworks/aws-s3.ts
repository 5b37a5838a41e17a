// AWS S3 bucket CORS configuration, in the shape `aws s3api put-bucket-cors --cors-configuration file://cors.json` takes.
import type { OriginPolicy } from '../policy';
import { safePolicy, type FrameworkRenderer } from './common';

/** The only methods S3 CORS rules accept. */
const S3_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'];

export const awsS3: FrameworkRenderer = {
  id: 'aws-s3',
  label: 'AWS S3 (bucket CORS)',
  targetVersion: 'S3 PutBucketCors API',
  language: 'json',
  defaults: 'S3 CORS rules have no defaults: every method and header the rule allows is listed.',
  render(policy: OriginPolicy) {
    const { p, warnings } = safePolicy(policy);
    const methods = ['GET', 'HEAD'];
    for (const m of p.methods) {
      if (S3_METHODS.includes(m)) {
        if (!methods.includes(m)) methods.push(m);
      } else warnings.push(`S3 CORS rules cannot allow the method ${m} (only GET, PUT, POST, DELETE, HEAD).`);
    }
    const rule: Record<string, unknown> = { AllowedOrigins: p.allowOrigins, AllowedMethods: methods };
    if (p.requestHeaders.length) rule.AllowedHeaders = p.requestHeaders;
    if (p.exposeHeaders.length) rule.ExposeHeaders = p.exposeHeaders;
    rule.MaxAgeSeconds = p.maxAge;
    const code = `${JSON.stringify({ CORSRules: [rule] }, null, 2)}\n`;
    warnings.push(
      'The S3 console takes only the array (the value of CORSRules). The first rule matching origin, method and every header wins.',
    );
    warnings.push(
      'S3 sends CORS headers only to requests carrying Origin: if CloudFront caches a response fetched without Origin, forward Origin (CORS origin-request policy) or later fetches break.',
    );
    if (p.credentials)
      warnings.push(
        'S3 has no credentials switch: it sends Access-Control-Allow-Credentials: true itself whenever the origin is not *.',
      );
    return { code, filename: 'cors.json', warnings };
  },
};
