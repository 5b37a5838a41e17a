// Maps Firefox's console text "Cross-Origin Request Blocked: … (Reason: …)" back to its security.properties key
// (dom/locales/en-US/chrome/security/security.properties in mozilla/gecko-dev; MDN names drop the trailing digit).
import type { FirefoxCorsReason } from '../../src/engine/types';

// Firefox prints typographic quotes (‘ ’); accept straight ones too.
const Q = '[\'‘’"]';
const table: Array<[FirefoxCorsReason, RegExp]> = [
  ['CORSDisabled', /Reason: CORS disabled/],
  ['CORSDidNotSucceed', /Reason: CORS request did not succeed/],
  ['CORSOriginHeaderNotAdded', new RegExp(`Reason: CORS header ${Q}Origin${Q} cannot be added`)],
  ['CORSExternalRedirectNotAllowed', /Reason: CORS request external redirect not allowed/],
  ['CORSRequestNotHttp', /Reason: CORS request not HTTP/i],
  ['CORSMissingAllowOrigin', new RegExp(`Reason: CORS header ${Q}Access-Control-Allow-Origin${Q} missing`)],
  [
    'CORSMultipleAllowOriginNotAllowed',
    new RegExp(`Reason: Multiple CORS header ${Q}Access-Control-Allow-Origin${Q} not allowed`),
  ],
  [
    'CORSAllowOriginNotMatchingOrigin',
    new RegExp(`Reason: CORS header ${Q}Access-Control-Allow-Origin${Q} does not match`),
  ],
  [
    'CORSNotSupportingCredentials',
    new RegExp(
      `Reason: Credential is not supported if the CORS header ${Q}Access-Control-Allow-Origin${Q} is ${Q}\\*${Q}`,
    ),
  ],
  [
    'CORSMissingAllowCredentials',
    new RegExp(`Reason: expected ${Q}true${Q} in CORS header ${Q}Access-Control-Allow-Credentials${Q}`),
  ],
  ['CORSPreflightDidNotSucceed', /Reason: CORS preflight (response|channel) did not succeed/],
  [
    'CORSInvalidAllowMethod',
    new RegExp(`Reason: invalid token ${Q}.*${Q} in CORS header ${Q}Access-Control-Allow-Methods${Q}`),
  ],
  ['CORSMethodNotFound', new RegExp(`Reason: Did not find method in CORS header ${Q}Access-Control-Allow-Methods${Q}`)],
  [
    'CORSInvalidAllowHeader',
    new RegExp(`Reason: invalid token ${Q}.*${Q} in CORS header ${Q}Access-Control-Allow-Headers${Q}`),
  ],
  [
    'CORSMissingAllowHeaderFromPreflight',
    new RegExp(
      `Reason: (header ${Q}.*${Q} is not allowed according to header ${Q}Access-Control-Allow-Headers${Q}|missing token ${Q}.*${Q} in CORS header ${Q}Access-Control-Allow-Headers${Q})`,
    ),
  ],
];

export interface FirefoxCorsMessage {
  /** The URL Firefox names ("…reading the remote resource at <url>."). */
  url: string;
  reason: FirefoxCorsReason | null;
  /** The raw text between "(Reason: " and ")". */
  reasonText: string;
  warning: boolean;
}

export function parseFirefoxCorsMessage(text: string): FirefoxCorsMessage | null {
  const m =
    /^Cross-Origin Request (Blocked|Warning): The Same Origin Policy (?:disallows|will disallow) reading the remote resource at (\S+?)\.? \(Reason: (.*)$/s.exec(
      text,
    );
  if (!m) return null;
  const reasonText = m[3];
  const hit = table.find(([, re]) => re.test(`Reason: ${reasonText}`));
  // Some messages (the credential ones) quote the URL: ‘http://…’.
  const url = m[2].replace(/^[‘'"]/, '').replace(/[’'"]$/, '');
  return { url, reason: hit ? hit[0] : null, reasonText, warning: m[1] === 'Warning' };
}

export const FIREFOX_REASONS: readonly FirefoxCorsReason[] = table.map(([k]) => k);
