// A deliberately misbehaving OpenID Provider on loopback: each OpenID
// Foundation "Basic RP" certification test case (and the RFC 9207 ones) as a
// path of its own, so a test can log in against each and check that the
// relying party does what the certification expects. Node built-ins only.
//
//   node tests/services/rp-conformance/server.mjs [--exit-with-stdin]
//
// When ready it prints
//   rp-conformance provider listening on http://127.0.0.1:PORT
// Case CASE has the issuer http://127.0.0.1:PORT/CASE with discovery at
// CASE/.well-known/openid-configuration. One client: `rp-client`, secret
// `rp-secret`, client_secret_basic only (the token endpoint refuses any other
// client authentication). Any redirect URI is accepted. The authorization
// endpoint answers at once (no login page): 302 to the redirect URI with the
// code (or, for response_type `id_token token`, the tokens in the fragment).
//
// Extra paths per case: GET CASE/stats (JSON: how often jwks, token, userinfo
// and trap were hit), POST CASE/rotate (sign with the next key from now on;
// the JWKS then only holds that key), CASE/trap (counts hits; the `redirects`
// case answers 307 to it from every endpoint).
import * as crypto from 'node:crypto';
import * as http from 'node:http';

const CLIENT_ID = 'rp-client';
const CLIENT_SECRET = 'rp-secret';
const SUBJECT = 'alice-subject';

function keyPair(type, kid) {
  const { privateKey, publicKey } = type === 'EC'
    ? crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const alg = type === 'EC' ? 'ES256' : 'RS256';
  return { privateKey, kid, alg, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } };
}

const keys = {
  rsa1: keyPair('RSA', 'rsa-1'),
  rsa2: keyPair('RSA', 'rsa-2'),
  rsaExtra: keyPair('RSA', 'rsa-extra'),
  ec1: keyPair('EC', 'ec-1'),
};

const b64url = (data) => Buffer.from(data).toString('base64url');
const halfHash = (token) => b64url(crypto.createHash('sha256').update(token).digest().subarray(0, 16));

// What each case does differently from a well-behaved provider.
const cases = {
  'rp-response_type-code': {},
  'rp-token_endpoint-client_secret_basic': {},
  'rp-nonce-invalid': { claims: (c) => { c.nonce = 'not-the-nonce-that-was-sent'; } },
  'rp-id_token-aud': { claims: (c) => { c.aud = 'some-other-client'; } },
  'rp-id_token-iat': { claims: (c) => { delete c.iat; } },
  'rp-id_token-sub': { claims: (c) => { delete c.sub; } },
  'rp-id_token-issuer-mismatch': { claims: (c) => { c.iss = 'https://example.org/'; } },
  'rp-id_token-bad-sig-rs256': { badSignature: true },
  'rp-id_token-bad-sig-es256': { key: 'ec1', badSignature: true },
  'rp-id_token-sig-es256': { key: 'ec1' },
  'rp-id_token-sig-none': { unsigned: true },
  'rp-id_token-kid-absent-single-jwks': { noKid: true },
  'rp-id_token-kid-absent-multiple-jwks': { noKid: true, jwks: ['rsaExtra', 'rsa1'] },
  'rp-key-rotation-op-sign-key': { rotation: ['rsa1', 'rsa2'] },
  'rp-discovery-issuer-not-matching-config': { metadataIssuer: (issuer) => issuer + '-other' },
  'rp-discovery-jwks_uri-keys': { jwksPath: '/keys/published-set.json' },
  'rp-userinfo-bad-sub-claim': { userinfoSub: 'someone-else' },
  'rp-userinfo-bearer-header': {},
  'rp-id_token-expired': { claims: (c) => { c.iat -= 7200; c.exp = c.iat + 600; } },
  'rp-id_token-wrong-azp': { claims: (c) => { c.aud = [CLIENT_ID, 'another-client']; c.azp = 'another-client'; } },
  'rp-id_token-wrong-at_hash': { claims: (c) => { c.at_hash = halfHash('some other access token'); } },
  'rp-implicit-at_hash-missing': { claims: (c) => { delete c.at_hash; } },
  'rfc9207-iss-mismatch': { callbackIss: () => 'https://attacker.example' },
  'rfc9207-iss-missing': { callbackIss: () => null },
  'redirects': { redirectAll: true },
};

const state = {};  // per case: hit counters, rotation index, issued codes and tokens
function caseState(name) {
  state[name] ??= { stats: { jwks: 0, token: 0, userinfo: 0, trap: 0, discovery: 0 }, rotation: 0, codes: new Map(), tokens: new Set() };
  return state[name];
}

function signingKey(name) {
  const behaviour = cases[name];
  if (behaviour.rotation)
    return keys[behaviour.rotation[caseState(name).rotation % behaviour.rotation.length]];
  return keys[behaviour.key ?? 'rsa1'];
}

function jwks(name) {
  const behaviour = cases[name];
  if (behaviour.jwks)
    return behaviour.jwks.map((k) => keys[k].jwk);
  const key = signingKey(name);
  if (behaviour.noKid) {
    const { kid, ...rest } = key.jwk;
    return [rest];
  }
  return [key.jwk];
}

function idToken(name, issuer, nonce, accessToken) {
  const behaviour = cases[name];
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: issuer, sub: SUBJECT, aud: CLIENT_ID, iat: now, exp: now + 600, at_hash: halfHash(accessToken) };
  if (nonce)
    claims.nonce = nonce;
  behaviour.claims?.(claims);
  const key = signingKey(name);
  const header = behaviour.unsigned ? { alg: 'none' } : { alg: key.alg, typ: 'JWT' };
  if (!behaviour.unsigned && !behaviour.noKid)
    header.kid = key.kid;
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  if (behaviour.unsigned)
    return `${input}.`;
  const signature = crypto.sign('sha256', Buffer.from(input),
    key.alg === 'ES256' ? { key: key.privateKey, dsaEncoding: 'ieee-p1363' } : key.privateKey);
  if (behaviour.badSignature)
    signature[signature.length - 1] ^= 0x5a;
  return `${input}.${b64url(signature)}`;
}

function json(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

function clientAuthenticated(req, body) {
  // client_secret_basic only: RFC 6749 §2.3.1 form-encodes id and secret before base64.
  if (body.has('client_secret') || body.has('client_assertion'))
    return false;
  const match = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
  if (!match)
    return false;
  const [id, secret] = Buffer.from(match[1], 'base64').toString().split(':').map(decodeURIComponent);
  return id === CLIENT_ID && secret === CLIENT_SECRET;
}

function handle(req, res, body, base) {
  const url = new URL(req.url, base);
  const [, name, ...rest] = url.pathname.split('/');
  const endpoint = '/' + rest.join('/');
  const behaviour = cases[name];
  if (!behaviour)
    return json(res, 404, { error: 'no such case', cases: Object.keys(cases) });
  const s = caseState(name);
  const issuer = `${base}/${name}`;
  if (endpoint === '/stats')
    return json(res, 200, s.stats);
  if (endpoint === '/trap') {
    s.stats.trap++;
    return json(res, 200, { trapped: true });
  }
  if (endpoint === '/rotate' && req.method === 'POST') {
    s.rotation++;
    return json(res, 200, { kid: signingKey(name).kid });
  }
  if (behaviour.redirectAll) {
    res.writeHead(307, { Location: `${issuer}/trap` });
    return res.end();
  }
  const jwksPath = behaviour.jwksPath ?? '/jwks';
  if (endpoint === '/.well-known/openid-configuration') {
    s.stats.discovery++;
    return json(res, 200, {
      issuer: behaviour.metadataIssuer ? behaviour.metadataIssuer(issuer) : issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      userinfo_endpoint: `${issuer}/userinfo`,
      jwks_uri: `${issuer}${jwksPath}`,
      response_types_supported: ['code', 'id_token token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256', 'ES256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic'],
      scopes_supported: ['openid', 'profile'],
      authorization_response_iss_parameter_supported: true,
    });
  }
  if (endpoint === jwksPath) {
    s.stats.jwks++;
    return json(res, 200, { keys: jwks(name) }, { 'Cache-Control': 'max-age=3600' });
  }
  if (endpoint === '/authorize') {
    const q = url.searchParams;
    const redirect = new URL(q.get('redirect_uri'));
    const answer = new URLSearchParams();
    const iss = behaviour.callbackIss ? behaviour.callbackIss(issuer) : issuer;
    if (q.get('client_id') !== CLIENT_ID) {
      answer.set('error', 'unauthorized_client');
    } else if (q.get('response_type') === 'code') {
      const code = b64url(crypto.randomBytes(16));
      s.codes.set(code, { nonce: q.get('nonce'), redirectUri: q.get('redirect_uri') });
      answer.set('code', code);
    } else if (q.get('response_type') === 'id_token token') {
      const accessToken = b64url(crypto.randomBytes(16));
      s.tokens.add(accessToken);
      answer.set('access_token', accessToken);
      answer.set('token_type', 'Bearer');
      answer.set('expires_in', '600');
      answer.set('id_token', idToken(name, issuer, q.get('nonce'), accessToken));
    } else {
      answer.set('error', 'unsupported_response_type');
    }
    answer.set('state', q.get('state') ?? '');
    if (iss)
      answer.set('iss', iss);
    if (q.get('response_type') === 'id_token token' && !answer.has('error'))
      redirect.hash = answer.toString();
    else
      redirect.search = answer.toString();
    res.writeHead(302, { Location: redirect.toString() });
    return res.end();
  }
  if (endpoint === '/token' && req.method === 'POST') {
    s.stats.token++;
    const form = new URLSearchParams(body);
    if (!clientAuthenticated(req, form))
      return json(res, 401, { error: 'invalid_client', error_description: 'only client_secret_basic is accepted' },
                  { 'WWW-Authenticate': 'Basic realm="token"' });
    const grant = s.codes.get(form.get('code'));
    if (form.get('grant_type') !== 'authorization_code' || !grant || grant.redirectUri !== form.get('redirect_uri'))
      return json(res, 400, { error: 'invalid_grant' });
    s.codes.delete(form.get('code'));
    const accessToken = b64url(crypto.randomBytes(16));
    s.tokens.add(accessToken);
    return json(res, 200, {
      access_token: accessToken, token_type: 'Bearer', expires_in: 600, scope: 'openid profile',
      id_token: idToken(name, issuer, grant.nonce, accessToken),
    });
  }
  if (endpoint === '/userinfo') {
    s.stats.userinfo++;
    // rp-userinfo-bearer-header: only the Authorization header carries the token.
    const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!match || !s.tokens.has(match[1]))
      return json(res, 401, { error: 'invalid_token' }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    return json(res, 200, { sub: behaviour.userinfoSub ?? SUBJECT, name: 'Alice Example', email: 'alice@example.org' });
  }
  return json(res, 404, { error: `no ${endpoint} in case ${name}` });
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    try {
      handle(req, res, Buffer.concat(chunks).toString(), `http://127.0.0.1:${server.address().port}`);
    } catch (e) {
      json(res, 500, { error: 'server_error', error_description: String(e) });
    }
  });
});

if (process.argv.includes('--exit-with-stdin')) {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}
server.listen(0, '127.0.0.1', () => {
  console.log(`rp-conformance provider listening on http://127.0.0.1:${server.address().port}`);
});
