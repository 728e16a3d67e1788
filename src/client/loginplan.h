#pragma once

#include "credential.h"
#include "oauthlogin.h"

#include <apimodel.h>

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace portolan::auth {
class CredentialStore;
}

namespace portolan::client {

// What the user gave to log in with one scheme, from either front end.
// Secrets (secret, password, client secret, passphrase) stay in memory.
struct LoginInput {
    QString flow;             // authorizationCode, implicit, password, clientCredentials, deviceAuthorization; empty = the scheme's first
    QString clientId;
    QByteArray clientSecret;
    QString authMethod;       // empty = client_secret_basic with a secret, private_key_jwt with a key, else none
    QStringList scopes;       // empty = the flow's scopes
    QString username;         // basic, digest, password grant
    QByteArray password;      // basic, digest, password grant
    QByteArray secret;        // an apiKey value or a bearer token
    QString privateKeyPath;   // private_key_jwt / tls_client_auth
    QString clientCertificatePath;  // tls_client_auth; empty = the key file holds it too
    QString caCertificatePath;      // also trusted for the authorization server
    QByteArray privateKeyPassphrase;
    QString redirectUri;      // empty = a loopback URI on a free port, chosen when the login starts
    QString pkceMethod = QStringLiteral("S256");  // S256, plain, or empty for none
    auth::Parameters authorizationParameters;
    auth::Parameters tokenParameters;
    QStringList secretTokenParameters;  // names among tokenParameters kept in the keychain, never remembered
    QStringList allowedHttpHosts;       // non-loopback hosts whose endpoints may be plain http
    bool dpop = false;
    // Endpoints typed over the document's; relative ones follow resolveSecurityUrl().
    QString discoveryUrl;
    QString authorizationUrl;
    QString tokenUrl;
    QString deviceAuthorizationUrl;
    QString label;            // shown in credential lists; empty = the subject, user or client id
};

// The result of planning a login. An OAuth/OIDC login runs with `settings`;
// any other scheme stores `info` + `secrets` directly.
struct LoginPlan {
    enum class Status { Ready, NeedsPassphrase, Invalid };
    Status status = Status::Invalid;
    QString error;            // Invalid: what is wrong, naming what the user must change; NeedsPassphrase: which key
    bool oauth = false;
    auth::LoginSettings settings;
    auth::CredentialInfo info;  // non-OAuth: the credential to store (api, scheme, kind, user)
    auth::Secrets secrets;

    bool ready() const { return status == Status::Ready; }
};

// The one rule for relative URLs in security schemes (tokenUrl,
// authorizationUrl, refreshUrl, openIdConnectUrl, and URLs typed over them):
//  - OpenAPI 3.0: against the first server's URL (its variables at their
//    defaults), itself resolved against the document's URL;
//  - OpenAPI 3.1 and later, and Swagger 2.0: against the document's URL.
// Absolute URLs are kept as they are; empty text gives an empty URL.
QUrl resolveSecurityUrl(const ApiDocument &document, const QString &text);
// The base of that rule.
QUrl securityBaseUrl(const ApiDocument &document);

bool isOAuthScheme(const SecurityScheme &scheme);

// The kind of credential a non-OAuth scheme stores: apiKey, or HTTP basic,
// bearer or digest. False with `error` for any other HTTP scheme (requests
// could not use it).
bool storedCredentialKind(const SecurityScheme &scheme, auth::CredentialKind *kind, QString *error);

// The flow's endpoints and scopes as the document gives them (resolved by the
// rule above), for prefilling a form.
bool flowDefaults(const ApiDocument &document, const SecurityScheme &scheme, OAuthFlowKind flow,
                  auth::LoginSettings *settings, QString *error);

// Document + scheme + what the user typed -> what to run or store.
LoginPlan planLogin(const ApiDocument &document, const SecurityScheme &scheme, const LoginInput &input);

// The credential a finished OAuth login stores for `scheme` of `document`.
void credentialForLogin(const ApiDocument &document, const SecurityScheme &scheme, const auth::LoginResult &result,
                        const QString &label, auth::CredentialInfo *info, auth::Secrets *secrets);

// Logging in again: the stored credential the new one replaces, or empty to
// add it. Replaced: the scheme's credential of the same kind for the same
// client and subject (OAuth) or the same user (basic, digest), or the one
// apiKey / bearer value. Credentials of other clients or users are kept.
QString credentialToReplace(const auth::CredentialStore &store, const auth::CredentialInfo &fresh);

} // namespace portolan::client
