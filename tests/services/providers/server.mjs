// Loopback stand-ins of real providers' OAuth endpoints, answering as each
// provider documents (see resources/providers/presets.json for the sources):
// for the preset tests. Node's http module only; loopback only.
//
//   node tests/services/providers/server.mjs [PORT] [--exit-with-stdin]
//
// Prints "provider stand-ins listening on http://127.0.0.1:PORT" when ready.
// Each provider lives under /<preset id>/ with the provider's own paths, e.g.
// /github/login/oauth/access_token. Every provider has one client:
//   client id `portolan-<id>`, secret `secret-<id>`.
// The authorization endpoint approves at once (no login page): it redirects to
// the redirect_uri with a code and the state. A device code is approved after
// the first poll (which answers authorization_pending). Tokens are
// `<id>-access-<n>` and are accepted by /<id>/userinfo. Providers with OpenID
// Connect discovery sign an ID token (RS256, keys at /<id>/jwks) when openid is
// asked for, once their discovery document has been fetched (it names the issuer).
//
// /quirks/<name>/token answers one real-world shape for the engine's tests:
//   expires-in-string, expires, no-expiry, empty-401, form-error-200,
//   json-error-200, ok-false, html-500, lowercase-bearer, bot, comma-scopes
// and /quirks/refresh-keeps/token answers a refresh without refresh_token or id_token.
import * as crypto from 'node:crypto';
import * as http from 'node:http';

const args = process.argv.slice(2);
const port = Number(args.find((a) => /^\d+$/.test(a)) ?? 0);
if (args.includes('--exit-with-stdin')) {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

// How each provider's token endpoint answers (documented shapes).
const providers = {
  github: {
    authorize: '/login/oauth/authorize', token: '/login/oauth/access_token', device: '/login/device/code',
    clientAuth: ['client_secret_post', 'client_secret_basic', 'none'],
    // Form-encoded unless Accept: application/json; errors with HTTP 200.
    tokens: (scope) => ({ access_token: null, token_type: 'bearer', scope: scope.split(/[ ,]+/).filter(Boolean).join(',') }),
    errorsIn200: true, formUnlessJson: true,
  },
  gitlab: {
    authorize: '/oauth/authorize', token: '/oauth/token', device: '/oauth/authorize_device', revoke: '/oauth/revoke',
    clientAuth: ['client_secret_post', 'client_secret_basic', 'none'],
    tokens: (scope) => ({ access_token: null, token_type: 'Bearer', expires_in: 7200, refresh_token: null, scope,
                          created_at: Math.floor(Date.now() / 1000) }),
    discovery: true,
  },
  google: {
    authorize: '/o/oauth2/v2/auth', token: '/token', device: '/device/code', revoke: '/revoke',
    clientAuth: ['client_secret_post', 'client_secret_basic'],
    tokens: (scope) => ({ access_token: null, expires_in: 3599, refresh_token: null, scope, token_type: 'Bearer' }),
    discovery: true, deviceVerificationUrl: true,
  },
  'microsoft-entra': {
    authorize: '/common/oauth2/v2.0/authorize', token: '/common/oauth2/v2.0/token', device: '/common/oauth2/v2.0/devicecode',
    clientAuth: ['none', 'client_secret_post', 'client_secret_basic'],
    tokens: (scope) => ({ token_type: 'Bearer', scope, expires_in: 3599, ext_expires_in: 3599, access_token: null,
                          refresh_token: null }),
    discovery: true, discoveryPath: '/common/v2.0/.well-known/openid-configuration',
  },
  auth0: {
    authorize: '/authorize', token: '/oauth/token', device: '/oauth/device/code', revoke: '/oauth/revoke',
    clientAuth: ['client_secret_post', 'client_secret_basic', 'none'],
    tokens: (scope) => ({ access_token: null, refresh_token: null, scope, expires_in: 86400, token_type: 'Bearer' }),
    discovery: true,
  },
  okta: {
    authorize: '/oauth2/default/v1/authorize', token: '/oauth2/default/v1/token', device: '/oauth2/default/v1/device/authorize',
    revoke: '/oauth2/default/v1/revoke',
    clientAuth: ['none', 'client_secret_basic', 'client_secret_post'],
    tokens: (scope) => ({ token_type: 'Bearer', expires_in: 3600, access_token: null, scope, refresh_token: null }),
    discovery: true, discoveryPath: '/oauth2/default/.well-known/openid-configuration',
  },
  keycloak: {
    authorize: '/realms/demo/protocol/openid-connect/auth', token: '/realms/demo/protocol/openid-connect/token',
    device: '/realms/demo/protocol/openid-connect/auth/device', revoke: '/realms/demo/protocol/openid-connect/revoke',
    clientAuth: ['client_secret_basic', 'client_secret_post'],
    tokens: (scope) => ({ access_token: null, expires_in: 300, refresh_expires_in: 1800, refresh_token: null,
                          token_type: 'Bearer', 'not-before-policy': 0, session_state: crypto.randomUUID(), scope }),
    discovery: true, discoveryPath: '/realms/demo/.well-known/openid-configuration',
  },
  slack: {
    authorize: '/oauth/v2/authorize', token: '/api/oauth.v2.access',
    clientAuth: ['client_secret_basic', 'client_secret_post'],
    // Always HTTP 200; errors as {"ok": false}; the bot token's type is "bot", scopes comma-separated.
    tokens: (scope) => ({ ok: true, access_token: null, token_type: 'bot', scope: scope.split(/[ ,]+/).filter(Boolean).join(','),
                          bot_user_id: 'U0BOT', app_id: 'A0APP', team: { name: 'Portolan', id: 'T0TEAM' },
                          authed_user: { id: 'U0USER', scope: 'search:read', access_token: 'xoxp-user-token', token_type: 'user' } }),
    slackErrors: true,
  },
  spotify: {
    authorize: '/authorize', token: '/api/token',
    clientAuth: ['none', 'client_secret_basic'],
    tokens: (scope) => ({ access_token: null, token_type: 'Bearer', scope, expires_in: 3600, refresh_token: null }),
    refreshKeepsRefreshToken: true,
  },
  discord: {
    authorize: '/oauth2/authorize', token: '/api/oauth2/token', revoke: '/api/oauth2/token/revoke',
    clientAuth: ['client_secret_basic', 'client_secret_post'],
    tokens: (scope) => ({ access_token: null, token_type: 'Bearer', expires_in: 604800, refresh_token: null, scope }),
  },
};

// OpenID Connect providers sign ID tokens (RS256) when openid is asked for.
const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'stand-in-1', alg: 'RS256', use: 'sig' };
const issuers = new Map();   // provider id -> issuer URL (the discovery URL without /.well-known/…)

function idToken(id, clientId, nonce) {
  const now = Math.floor(Date.now() / 1000);
  const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const claims = { iss: issuers.get(id), sub: 'alice', aud: clientId, iat: now, exp: now + 3600 };
  if (nonce) claims.nonce = nonce;
  const input = `${part({ alg: 'RS256', kid: jwk.kid, typ: 'JWT' })}.${part(claims)}`;
  return `${input}.${crypto.sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

const codes = new Map();     // code -> {provider, clientId, redirectUri, challenge, method, scope}
const devices = new Map();   // device_code -> {provider, scope, polls}
const refreshTokens = new Map();
const accessTokens = new Set();
let counter = 0;

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function send(res, status, body, type) {
  const headers = { 'Cache-Control': 'no-store' };
  if (body !== '') headers['Content-Type'] = type;
  res.writeHead(status, headers);
  res.end(body);
}

function sendObject(res, req, id, status, object) {
  const p = providers[id];
  const wantsJson = (req.headers.accept ?? '').includes('application/json');
  if (p?.formUnlessJson && !wantsJson) {
    send(res, status, new URLSearchParams(object).toString(), 'application/x-www-form-urlencoded; charset=utf-8');
    return;
  }
  send(res, status, JSON.stringify(object), 'application/json; charset=utf-8');
}

function sendError(res, req, id, error, description, status = 400) {
  const p = providers[id];
  if (p.slackErrors) return sendObject(res, req, id, 200, { ok: false, error });
  if (p.errorsIn200) {
    return sendObject(res, req, id, 200, { error, error_description: description,
                                            error_uri: 'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors' });
  }
  sendObject(res, req, id, status, { error, error_description: description });
}

// The client's identity and whether it authenticated as the provider accepts.
function clientOf(req, form, id) {
  const p = providers[id];
  const auth = req.headers.authorization ?? '';
  if (auth.startsWith('Basic ')) {
    const [user, secret] = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':').map(decodeURIComponent);
    return { id: user, ok: p.clientAuth.includes('client_secret_basic') && secret === `secret-${id}` };
  }
  if (form.get('client_secret') !== null)
    return { id: form.get('client_id'), ok: p.clientAuth.includes('client_secret_post') && form.get('client_secret') === `secret-${id}` };
  return { id: form.get('client_id'), ok: p.clientAuth.includes('none'), publicClient: true };
}

function issue(id, scope, nonce) {
  const p = providers[id];
  const object = p.tokens(scope);
  if (p.discovery && scope.split(/[ ,]+/).includes('openid') && issuers.has(id))
    object.id_token = idToken(id, `portolan-${id}`, nonce);
  object.access_token = `${id}-access-${++counter}`;
  accessTokens.add(object.access_token);
  if ('refresh_token' in object) {
    object.refresh_token = `${id}-refresh-${counter}`;
    refreshTokens.set(object.refresh_token, { id, scope });
  }
  return object;
}

async function token(req, res, id) {
  const form = new URLSearchParams(await readBody(req));
  const client = clientOf(req, form, id);
  if (client.id !== `portolan-${id}` || !client.ok)
    return sendError(res, req, id, id === 'github' ? 'incorrect_client_credentials' : id === 'slack' ? 'bad_client_secret' : 'invalid_client',
                     'The client_id and/or client_secret passed are incorrect.', 401);
  const grant = form.get('grant_type') ?? (id === 'github' || id === 'slack' ? 'authorization_code' : null);
  if (grant === 'authorization_code') {
    const entry = codes.get(form.get('code'));
    codes.delete(form.get('code'));
    if (!entry || entry.provider !== id)
      return sendError(res, req, id, id === 'github' ? 'bad_verification_code' : 'invalid_grant', 'The code passed is incorrect or expired.');
    if (entry.redirectUri !== (form.get('redirect_uri') ?? entry.redirectUri))
      return sendError(res, req, id, id === 'github' ? 'redirect_uri_mismatch' : 'invalid_grant', 'The redirect_uri does not match.');
    if (entry.challenge) {
      const verifier = form.get('code_verifier') ?? '';
      const computed = crypto.createHash('sha256').update(verifier).digest('base64url');
      if (computed !== entry.challenge)
        return sendError(res, req, id, 'invalid_grant', 'PKCE verification failed.');
    } else if (client.publicClient) {
      return sendError(res, req, id, 'invalid_request', 'A public client must use PKCE.');
    }
    return sendObject(res, req, id, 200, issue(id, entry.scope, entry.nonce));
  }
  if (grant === 'urn:ietf:params:oauth:grant-type:device_code') {
    const entry = devices.get(form.get('device_code'));
    if (!entry || entry.provider !== id) return sendError(res, req, id, 'expired_token', 'The device code expired.');
    if (entry.polls++ === 0) return sendError(res, req, id, 'authorization_pending', 'The user has not yet entered the code.');
    devices.delete(form.get('device_code'));
    return sendObject(res, req, id, 200, issue(id, entry.scope));
  }
  if (grant === 'refresh_token') {
    const entry = refreshTokens.get(form.get('refresh_token'));
    if (!entry || entry.id !== id) return sendError(res, req, id, 'invalid_grant', 'The refresh token is invalid.');
    const object = issue(id, entry.scope);
    if (providers[id].refreshKeepsRefreshToken) {  // Spotify: "a new refresh token might be returned too"
      refreshTokens.delete(object.refresh_token);
      delete object.refresh_token;
    }
    return sendObject(res, req, id, 200, object);
  }
  if (grant === 'client_credentials') return sendObject(res, req, id, 200, issue(id, form.get('scope') ?? ''));
  return sendError(res, req, id, 'unsupported_grant_type', `grant_type ${grant} is not supported here`);
}

function authorize(req, res, id, url) {
  const q = url.searchParams;
  const redirect = q.get('redirect_uri');
  if (q.get('client_id') !== `portolan-${id}` || !redirect) return send(res, 400, 'unknown client or no redirect_uri', 'text/plain');
  const code = crypto.randomBytes(16).toString('hex');
  codes.set(code, { provider: id, redirectUri: redirect, challenge: q.get('code_challenge'), scope: q.get('scope') ?? '',
                    nonce: q.get('nonce') });
  const target = new URL(redirect);
  target.searchParams.set('code', code);
  if (q.get('state') !== null) target.searchParams.set('state', q.get('state'));
  res.writeHead(302, { Location: target.toString() });
  res.end();
}

async function device(req, res, id, base) {
  const form = new URLSearchParams(await readBody(req));
  if (form.get('client_id') !== `portolan-${id}` && !(req.headers.authorization ?? '').startsWith('Basic '))
    return sendError(res, req, id, 'invalid_client', 'Unknown client.', 401);
  const deviceCode = crypto.randomBytes(16).toString('hex');
  devices.set(deviceCode, { provider: id, scope: form.get('scope') ?? '', polls: 0 });
  const answer = { device_code: deviceCode, user_code: 'WDJB-MJHT', expires_in: 900, interval: 1 };
  answer[providers[id].deviceVerificationUrl ? 'verification_url' : 'verification_uri'] = `${base}/${id}/device`;
  sendObject(res, req, id, 200, answer);
}

function discovery(res, id, base, path) {
  const p = providers[id];
  const root = `${base}/${id}`;
  const issuer = `${base}${path}`.replace('/.well-known/openid-configuration', '');
  issuers.set(id, issuer);
  const metadata = {
    issuer, authorization_endpoint: root + p.authorize, token_endpoint: root + p.token,
    userinfo_endpoint: `${root}/userinfo`, jwks_uri: `${root}/jwks`,
    response_types_supported: ['code'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: p.clientAuth, code_challenge_methods_supported: ['S256'],
  };
  if (p.device) metadata.device_authorization_endpoint = root + p.device;
  if (p.revoke) metadata.revocation_endpoint = root + p.revoke;
  send(res, 200, JSON.stringify(metadata), 'application/json');
}

// Real-world answers of token endpoints, one per path, for the engine's quirk tests.
function quirk(req, res, name) {
  const json = (status, object) => send(res, status, JSON.stringify(object), 'application/json');
  switch (name) {
  case 'expires-in-string': return json(200, { access_token: 'q-access', token_type: 'Bearer', expires_in: '3600' });
  case 'expires': return json(200, { access_token: 'q-access', token_type: 'Bearer', expires: 5183999 });
  case 'no-expiry': return json(200, { access_token: 'q-access', token_type: 'Bearer' });
  case 'empty-401': return send(res, 401, '', '');
  case 'form-error-200': return send(res, 200, 'error=bad_verification_code&error_description=The+code+passed+is+incorrect+or+expired.&error_uri=https%3A%2F%2Fdocs.github.com%2F', 'application/x-www-form-urlencoded; charset=utf-8');
  case 'json-error-200': return json(200, { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' });
  case 'ok-false': return json(200, { ok: false, error: 'invalid_client_id' });
  case 'html-500': return send(res, 500, '<html><body>Internal Server Error</body></html>', 'text/html');
  case 'lowercase-bearer': return json(200, { access_token: 'q-access', token_type: 'bearer' });
  case 'bot': return json(200, { ok: true, access_token: 'q-access', token_type: 'bot', scope: 'chat:write,channels:read' });
  case 'comma-scopes': return send(res, 200, 'access_token=q-access&scope=repo%2Cgist&token_type=bearer', 'application/x-www-form-urlencoded; charset=utf-8');
  case 'refresh-keeps': return json(200, { access_token: 'q-access-2', token_type: 'Bearer', expires_in: 60 });
  default: return send(res, 404, 'no such quirk', 'text/plain');
  }
}

const server = http.createServer(async (req, res) => {
  const base = `http://${req.headers.host}`;
  const url = new URL(req.url, base);
  const [, first, ...rest] = url.pathname.split('/');
  const tail = '/' + rest.join('/');
  try {
    if (first === 'quirks') return quirk(req, res, rest[0]);
    const id = first;
    const p = providers[id];
    if (!p) return send(res, 404, 'unknown provider', 'text/plain');
    if (req.method === 'GET' && tail === p.authorize) return authorize(req, res, id, url);
    if (req.method === 'POST' && tail === p.token) return await token(req, res, id);
    if (req.method === 'POST' && p.device && tail === p.device) return await device(req, res, id, base);
    if (req.method === 'GET' && p.discovery && tail === (p.discoveryPath ?? '/.well-known/openid-configuration'))
      return discovery(res, id, base, url.pathname);
    if (req.method === 'GET' && tail === '/jwks') return send(res, 200, JSON.stringify({ keys: [jwk] }), 'application/json');
    if (req.method === 'GET' && tail === '/userinfo') {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      return accessTokens.has(token) ? send(res, 200, JSON.stringify({ sub: 'alice' }), 'application/json')
                                     : send(res, 401, '', '');
    }
    if (req.method === 'POST' && p.revoke && tail === p.revoke) { await readBody(req); return send(res, 200, '', ''); }
    send(res, 404, 'not found', 'text/plain');
  } catch (error) {
    send(res, 500, String(error), 'text/plain');
  }
});
server.listen(port, '127.0.0.1', () => {
  console.log(`provider stand-ins listening on http://127.0.0.1:${server.address().port}`);
});
