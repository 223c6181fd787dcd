/**
 * What a secret looks like, for the streaming redactor. Each rule starts with a literal trigger,
 * so the redactor only ever holds back text from a trigger (or a partial one at the very end).
 */

/** A token: a trigger followed by `minBody`..`maxBody` characters of one class. */
export interface TokenSecretRule {
  kind: 'token';
  name: string;
  triggers: readonly string[];
  /** One character of the body. */
  body: RegExp;
  minBody: number;
  maxBody: number;
  /** Keep the trigger itself visible (e.g. `Bearer `). */
  keepTrigger?: boolean;
  /** An extra check on the body once its length is known. */
  validate?: (body: string) => boolean;
}

/** A block between a header and a footer, e.g. a PEM private key. */
export interface BlockSecretRule {
  kind: 'block';
  name: string;
  triggers: readonly string[];
  /** The header line (after the trigger) must end with this to count. */
  headerSuffix: string;
  /** The closing marker's start; the block ends after the marker's line. */
  footer: string;
  /** Longest block considered; a longer one is redacted up to this length. */
  maxLength: number;
}

export type SecretRule = TokenSecretRule | BlockSecretRule;

const alnum = /[A-Za-z0-9]/;
const keyChars = /[A-Za-z0-9_-]/;

export const DEFAULT_SECRET_RULES: readonly SecretRule[] = Object.freeze([
  {
    kind: 'block',
    name: 'private-key',
    triggers: ['-----BEGIN '],
    headerSuffix: 'PRIVATE KEY-----',
    footer: '-----END ',
    maxLength: 16_384,
  },
  { kind: 'token', name: 'openai-key', triggers: ['sk-'], body: keyChars, minBody: 20, maxBody: 256 },
  { kind: 'token', name: 'anthropic-key', triggers: ['sk-ant-'], body: keyChars, minBody: 20, maxBody: 256 },
  {
    kind: 'token',
    name: 'github-token',
    triggers: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    body: alnum,
    minBody: 36,
    maxBody: 255,
  },
  {
    kind: 'token',
    name: 'github-token',
    triggers: ['github_pat_'],
    body: /[A-Za-z0-9_]/,
    minBody: 22,
    maxBody: 255,
  },
  {
    kind: 'token',
    name: 'aws-access-key',
    triggers: ['AKIA', 'ASIA'],
    body: /[A-Z0-9]/,
    minBody: 16,
    maxBody: 16,
  },
  {
    kind: 'token',
    name: 'slack-token',
    triggers: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-'],
    body: /[A-Za-z0-9-]/,
    minBody: 10,
    maxBody: 255,
  },
  { kind: 'token', name: 'google-api-key', triggers: ['AIza'], body: keyChars, minBody: 35, maxBody: 35 },
  {
    kind: 'token',
    name: 'jwt',
    triggers: ['eyJ'],
    body: /[A-Za-z0-9_.-]/,
    minBody: 30,
    maxBody: 4_096,
    validate: (body) => body.split('.').length === 3,
  },
  {
    kind: 'token',
    name: 'bearer-token',
    triggers: ['Bearer '],
    body: /[A-Za-z0-9._~+/=-]/,
    minBody: 20,
    maxBody: 4_096,
    keepTrigger: true,
  },
] satisfies SecretRule[]);
