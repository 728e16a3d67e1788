// A real OpenID Provider (npm oidc-provider, pinned in packaging/node/package.json)
// for the auth tests and for trying the GUI by hand. Loopback only.
//
//   node tests/services/oidc/server.mjs [PORT] [--state-dir DIR]
//        [--tls-cert PEM --tls-key PEM --tls-ca PEM] [--exit-with-stdin]
//
// PORT 0 (the default) picks a free port. When ready it prints
//   oidc-provider listening on http://127.0.0.1:PORT
// The issuer is that URL. Signing keys (RS256, PS256, ES256, EdDSA) are made
// fresh at every start. With --state-dir, the private key of the
// private_key_jwt client is written there as `private_key_jwt.pem` (PKCS#8)
// so a test can sign client assertions with it.
//
// With --tls-cert/--tls-key/--tls-ca, the same provider also listens on an
// HTTPS port that asks for client certificates signed by that CA (for
// tls_client_auth) and prints
//   oidc-provider mtls listening on https://127.0.0.1:PORT2
// before the ready line.
//
// --exit-with-stdin: stop when stdin closes, so a test that crashes leaves no
// server behind (the launcher in tests/support passes it).
//
// The login page accepts any login and password (dev interactions); the
// password grant (added here, oidc-provider has none; it does not bind DPoP)
// accepts any username with the password `demo-password`.
// Scopes: openid profile email offline_access api:read api:write.
//
// Clients (add one by appending to `clients` below):
//   portolan-native        public (none) + PKCE; authorization_code, refresh_token;
//                          redirects http://127.0.0.1/callback (any port, RFC 8252)
//                          and org.portolan.demo:/callback
//   portolan-confidential  client_secret_basic, secret `confidential-secret`;
//                          authorization_code, refresh_token, client_credentials,
//                          device_code, password; same redirects as above
//   portolan-post          client_secret_post, secret `post-secret`; client_credentials,
//                          password, refresh_token
//   portolan-implicit      public; implicit `id_token token`; same redirects
//   portolan-device        public; device_code, refresh_token
//   portolan-device-expiring  the same, but its user codes expire after 3 seconds
//   portolan-jwt           private_key_jwt (key in --state-dir); client_credentials,
//                          authorization_code, refresh_token, password
//   portolan-mtls          tls_client_auth, certificate subject CN=portolan-test-client
//                          (only over the HTTPS port); client_credentials, password,
//                          refresh_token
//   portolan-password-ps256 / -es256 / -eddsa
//                          client_secret_basic, secret `password-secret`; password,
//                          refresh_token; ID tokens signed PS256 / ES256 / EdDSA
//                          (portolan-confidential signs RS256)
//
// DPoP is enabled with server nonces required, so a client must honour
// `use_dpop_nonce` on both the token endpoint and resource requests (userinfo).
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// Key generation is most of the start-up time. One RSA-2048 key pair takes
// 0.1 to 1 s of CPU (the prime search is random) and, on a 2-core machine
// loaded with builds, was measured at up to 72 s of wall time. Made one after
// the other on the main thread, the keys kept the provider silent after
// oidc-provider's runtime warning (printed as it is imported) past the test
// launcher's timeout, which looked like a hang. So they are generated on
// libuv's thread pool, in parallel with each other and with loading
// oidc-provider, and the ready line follows as soon as they exist.
const generateKeyPair = promisify(crypto.generateKeyPair);
async function jwk(type, options, alg, kid) {
  const { privateKey } = await generateKeyPair(type, options);
  return { ...privateKey.export({ format: 'jwk' }), alg, kid, use: 'sig' };
}
const keysReady = Promise.all([
  Promise.all([
    jwk('rsa', { modulusLength: 2048 }, 'RS256', 'rs256'),
    jwk('rsa', { modulusLength: 2048 }, 'PS256', 'ps256'),
    jwk('ec', { namedCurve: 'P-256' }, 'ES256', 'es256'),
    jwk('ed25519', {}, 'EdDSA', 'eddsa'),
  ]),
  generateKeyPair('rsa', { modulusLength: 2048 }),
]);

// Packages live in the project-local folder, never globally.
const here = path.dirname(fileURLToPath(import.meta.url));
const nodeModules = process.env.PORTOLAN_NODE_MODULES
  || path.resolve(here, '../../../.deps/node/node_modules');
const require = createRequire(path.join(nodeModules, 'noop.js'));
const { default: Provider, errors } = await import(require.resolve('oidc-provider'));

const args = process.argv.slice(2);
let port = 0;
let stateDir = null;
const tls = {};
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--state-dir') stateDir = args[(i += 1)];
  else if (args[i] === '--tls-cert') tls.cert = fs.readFileSync(args[(i += 1)]);
  else if (args[i] === '--tls-key') tls.key = fs.readFileSync(args[(i += 1)]);
  else if (args[i] === '--tls-ca') tls.ca = fs.readFileSync(args[(i += 1)]);
  else if (args[i] === '--exit-with-stdin') {
    process.stdin.on('end', () => process.exit(0));
    process.stdin.resume();
  }
  else port = Number(args[i]);
}

const [signingKeys, clientKey] = await keysReady;
const clientPublicJwk = { ...clientKey.publicKey.export({ format: 'jwk' }), alg: 'RS256', kid: 'portolan-jwt', use: 'sig' };
if (stateDir) {
  fs.mkdirSync(stateDir, { recursive: true });
  fs.writeFileSync(path.join(stateDir, 'private_key_jwt.pem'),
    clientKey.privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
}

const redirects = ['http://127.0.0.1/callback', 'org.portolan.demo:/callback'];
const deviceGrant = 'urn:ietf:params:oauth:grant-type:device_code';
const allScopes = 'openid profile email offline_access api:read api:write';

const clients = [
  {
    client_id: 'portolan-native', application_type: 'native', token_endpoint_auth_method: 'none',
    redirect_uris: redirects, grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'],
  },
  {
    client_id: 'portolan-confidential', client_secret: 'confidential-secret', application_type: 'native',
    token_endpoint_auth_method: 'client_secret_basic', redirect_uris: redirects, response_types: ['code'],
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials', deviceGrant, 'password'],
  },
  {
    client_id: 'portolan-post', client_secret: 'post-secret', token_endpoint_auth_method: 'client_secret_post',
    redirect_uris: [], response_types: [], grant_types: ['client_credentials', 'password', 'refresh_token'],
  },
  {
    client_id: 'portolan-implicit', application_type: 'native', token_endpoint_auth_method: 'none',
    redirect_uris: redirects, grant_types: ['implicit'], response_types: ['id_token token'],
  },
  ...['portolan-device', 'portolan-device-expiring'].map((client_id) => ({
    client_id, token_endpoint_auth_method: 'none', redirect_uris: [], response_types: [],
    grant_types: [deviceGrant, 'refresh_token'],
  })),
  {
    client_id: 'portolan-jwt', application_type: 'native', token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'RS256', jwks: { keys: [clientPublicJwk] },
    redirect_uris: redirects, response_types: ['code'],
    grant_types: ['client_credentials', 'authorization_code', 'refresh_token', 'password'],
  },
  {
    client_id: 'portolan-mtls', token_endpoint_auth_method: 'tls_client_auth',
    tls_client_auth_subject_dn: 'CN=portolan-test-client', redirect_uris: [], response_types: [],
    grant_types: ['client_credentials', 'password', 'refresh_token'],
  },
  ...['PS256', 'ES256', 'EdDSA'].map((alg) => ({
    client_id: `portolan-password-${alg.toLowerCase()}`, client_secret: 'password-secret',
    token_endpoint_auth_method: 'client_secret_basic', id_token_signed_response_alg: alg,
    redirect_uris: [], response_types: [], grant_types: ['password', 'refresh_token'],
  })),
].map((client) => ({ scope: allScopes, ...client }));

const configuration = {
  clients,
  jwks: { keys: signingKeys },
  scopes: allScopes.split(' '),
  responseTypes: ['code', 'id_token token', 'id_token', 'code id_token', 'none'],
  clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt', 'tls_client_auth'],
  claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
  async findAccount(_ctx, sub) {
    return {
      accountId: sub,
      async claims() { return { sub, name: `User ${sub}`, email: `${sub}@example.test`, email_verified: true }; },
    };
  },
  // Refresh tokens for every client allowed the grant, without forcing prompt=consent.
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    deviceFlow: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    userinfo: { enabled: true },
    dPoP: { enabled: true, nonceSecret: crypto.randomBytes(32), requireNonce: () => true },
    mTLS: {
      enabled: true,
      tlsClientAuth: true,
      // The certificate the HTTPS listener received (PEM), if any.
      getCertificate(ctx) {
        const peer = ctx.socket.getPeerCertificate?.();
        return peer && peer.raw ? new crypto.X509Certificate(peer.raw).toString() : undefined;
      },
      certificateAuthorized: (ctx) => ctx.socket.authorized === true,
      certificateSubjectMatches(ctx, property, expected) {
        if (property !== 'tls_client_auth_subject_dn') return false;
        const subject = ctx.socket.getPeerCertificate().subject || {};
        return Object.entries(subject).map(([k, v]) => `${k}=${v}`).join(',') === expected;
      },
    },
  },
  enabledJWA: { idTokenSigningAlgValues: ['RS256', 'PS256', 'ES256', 'EdDSA'] },
  ttl: { Grant: 86400, Interaction: 600, Session: 86400, AccessToken: 3600, IdToken: 3600, RefreshToken: 86400, ClientCredentials: 3600,
    DeviceCode: (_ctx, _token, client) => (client.clientId === 'portolan-device-expiring' ? 3 : 600) },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
};

const server = http.createServer();
server.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, configuration);
  registerPasswordGrant(provider);
  provider.on('server_error', (_ctx, error) => console.error('server_error', error));
  server.on('request', provider.callback());
  if (!tls.cert) {
    console.log(`oidc-provider listening on ${issuer}`);
    return;
  }
  const secure = https.createServer({ ...tls, requestCert: true, rejectUnauthorized: false }, provider.callback());
  secure.listen(0, '127.0.0.1', () => {
    console.log(`oidc-provider mtls listening on https://127.0.0.1:${secure.address().port}`);
    console.log(`oidc-provider listening on ${issuer}`);
  });
});

// Resource-owner password grant (RFC 6749 §4.3); oidc-provider leaves it out on purpose.
function registerPasswordGrant(provider) {
  provider.registerGrantType('password', async (ctx) => {
    const { client, params } = ctx.oidc;
    if (!params.username || params.password !== 'demo-password') {
      throw new errors.InvalidGrant('invalid resource owner credentials');
    }
    const allowed = new Set(client.scope.split(' '));
    const scope = (params.scope || 'openid').split(' ').filter((s) => allowed.has(s)).join(' ');
    const accountId = params.username;
    const grant = new provider.Grant({ clientId: client.clientId, accountId });
    grant.addOIDCScope(scope);
    const grantId = await grant.save();

    const accessToken = new provider.AccessToken({ accountId, client, grantId, gty: 'password', scope });
    const body = {
      access_token: await accessToken.save(), token_type: 'Bearer', expires_in: accessToken.expiration, scope,
    };
    if (client.grantTypeAllowed('refresh_token')) {
      const refreshToken = new provider.RefreshToken({ accountId, client, grantId, gty: 'password', scope });
      body.refresh_token = await refreshToken.save();
    }
    if (scope.split(' ').includes('openid')) {
      const account = await configuration.findAccount(ctx, accountId);
      const idToken = new provider.IdToken(await account.claims('id_token', scope, {}, []), { ctx });
      idToken.scope = scope;
      body.id_token = await idToken.issue({ use: 'idtoken' });
    }
    ctx.body = body;
  }, ['username', 'password', 'scope']);
}
