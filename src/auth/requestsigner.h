#pragma once

// The API the HTTP engine uses to authenticate requests. Stable: add, don't change.
//
//   RequestSigner signer(&store, &tokens);
//   auto choices = signer.evaluate(document, document.effectiveSecurity(op));
//   signer.sign(document, choices[i].alternative, request, [](const SignResult &r) {
//       if (r.ok) r.auth.applyTo(&request);   // headers, query items, cookies
//   });
//   on 401 with WWW-Authenticate: Digest …   -> signer.answerDigest(...)
//   on 401 with error="invalid_token"         -> signer.refreshAfterUnauthorized(...), then sign again once

#include "credential.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QPair>
#include <QString>
#include <QUrl>

#include <apimodel.h>

#include <functional>

namespace portolan::auth {

class CredentialStore;
class TokenManager;
class DigestResponder;

// The API identity credentials are filed under: the document's source URL
// (what the user opened), else its title.
QString apiIdentity(const ApiDocument &document);

// What authentication adds to one outgoing request.
struct RequestAuth {
    QList<QPair<QByteArray, QByteArray>> headers;  // set (replacing any header of the same name)
    QList<QPair<QString, QString>> queryItems;     // appended to the URL's query
    QList<QPair<QString, QString>> cookies;        // merged into the Cookie header with any others
    QStringList appliedSchemes;
    QString digestScheme;  // non-empty: this scheme is HTTP digest; answer the 401 challenge with answerDigest()

    // Applies all of it. Cookies are merged with any Cookie header already on the
    // request (a cookie of the same name is replaced). QNetworkAccessManager
    // replaces a Cookie header with its jar's cookies unless the request has
    // CookieLoadControlAttribute = Manual: then put the jar's cookies in first.
    void applyTo(QNetworkRequest *request) const;
};

struct SchemeStatus {
    QString scheme;
    QStringList scopes;           // required by the requirement
    const SecurityScheme *definition = nullptr;  // null: not declared in the document
    QString credentialId;         // the credential that would be used; empty = none stored
    QString problem;              // why not usable: undeclared, no credential, expired without refresh, …
    bool satisfied() const { return problem.isEmpty(); }
};

struct AlternativeStatus {
    SecurityAlternative alternative;  // empty = no authentication needed
    QList<SchemeStatus> schemes;
    bool satisfied() const;
};

struct SignResult {
    bool ok = false;
    QString error;  // which scheme failed and why (keychain, refresh, …); never a secret
    RequestAuth auth;
};

// Given stored credentials, says which alternatives of a security requirement
// can be used and applies one to an outgoing request. Secrets are read from the
// keychain asynchronously; OAuth tokens close to expiry are refreshed first.
class RequestSigner : public QObject {
    Q_OBJECT
public:
    // Neither is owned; both must outlive the signer.
    RequestSigner(CredentialStore *store, TokenManager *tokens, QObject *parent = nullptr);
    ~RequestSigner() override;

    // One entry per alternative, in document order. Pure metadata: no keychain access.
    QList<AlternativeStatus> evaluate(const ApiDocument &document, const SecurityRequirement &requirement) const;

    // Applies every scheme of `alternative`. `overrides` picks a credential per
    // scheme name (else the most recent one for that scheme). `request` gives the
    // method and URL, needed for DPoP proofs.
    void sign(const ApiDocument &document, const SecurityAlternative &alternative, const QString &method,
              const QUrl &url, std::function<void(const SignResult &)> done,
              const QHash<QString, QString> &overrides = {});

    // HTTP digest (RFC 7616): the Authorization header answering `wwwAuthenticate`
    // for the digest credential `credentialId`. Nonce counts are kept per nonce.
    void answerDigest(const QString &credentialId, const QByteArray &wwwAuthenticate, const QString &method,
                      const QUrl &url, const QByteArray &body, std::function<void(const SignResult &)> done);

    // After a 401 whose WWW-Authenticate says error="invalid_token" (or a DPoP
    // `use_dpop_nonce`, honoured only for a DPoP-bound token), refreshes the
    // OAuth credential once. `retry` true = sign and send the request again;
    // false = give up (message in `error`).
    // `requestUrl` is the request that got the 401: a DPoP-Nonce is remembered
    // for its origin (RFC 9449 §9).
    void refreshAfterUnauthorized(const QString &credentialId, const QUrl &requestUrl, const QByteArray &wwwAuthenticate,
                                  const QByteArray &dpopNonceHeader,
                                  std::function<void(bool retry, const QString &error)> done);
    // The same, taking the URL this credential last signed as the request URL.
    void refreshAfterUnauthorized(const QString &credentialId, const QByteArray &wwwAuthenticate,
                                  const QByteArray &dpopNonceHeader,
                                  std::function<void(bool retry, const QString &error)> done);
    // Servers may send a fresh DPoP-Nonce on any response: pass it on.
    void rememberDpopNonce(const QUrl &url, const QByteArray &nonce);

    // A DPoP proof (RFC 9449) for a resource request with a DPoP-bound token.
    void dpopProof(const QString &credentialId, const QString &method, const QUrl &url,
                   std::function<void(const SignResult &)> done);

private:
    CredentialStore *m_store;  // not owned
    TokenManager *m_tokens;    // not owned
    std::unique_ptr<DigestResponder> m_digest;
    QHash<QString, QUrl> m_lastSignedUrl;  // credential id -> URL of its last signed request
};

} // namespace portolan::auth
