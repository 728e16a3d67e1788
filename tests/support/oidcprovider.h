#pragma once

#include "serviceprocess.h"
#include "tlsserver.h"

#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QUrl>

namespace portolan::test {

// The project's OpenID Provider (tests/services/oidc/server.mjs on npm
// oidc-provider) started on 127.0.0.1 at a random port for one test.
class OidcProvider {
public:
    // False with `error` when node, the npm package or the script is missing
    // or the server did not come up. `extraArguments` go to server.mjs (e.g.
    // --tls-cert/--tls-key/--tls-ca for the tls_client_auth listener).
    bool start(QString *error, const QStringList &extraArguments = {});
    // start() with the tls_client_auth listener too, on `certificates` generated in `directory`.
    bool startWithMtls(const QString &directory, TestCertificates *certificates, QString *error);
    void stop() { m_process.stop(); }

    QUrl issuer() const { return m_issuer; }
    QUrl discoveryUrl() const;
    // The HTTPS listener asking for client certificates; empty without TLS arguments.
    QUrl mtlsUrl() const { return m_mtlsUrl; }
    // An OpenAPI document whose one scheme, `mtls`, is the password flow at the
    // tls_client_auth listener's token endpoint.
    QByteArray mtlsDocument() const;
    // PKCS#8 PEM of the `portolan-jwt` client's private key (private_key_jwt).
    QString privateKeyJwtPath() const;
    QString output() const { return m_process.output(); }

private:
    ServiceProcess m_process;
    QTemporaryDir m_stateDir;
    QUrl m_issuer;
    QUrl m_mtlsUrl;
};

// Plays the person in front of a browser, over plain HTTP: follows redirects,
// fills and submits the provider's login, consent and device pages, and stops
// at the first redirect whose URL starts with `stopPrefix` (not followed,
// returned), or, with an empty `stopPrefix`, at the first page without a form
// (ok). Cookies persist per instance.
class TestUserAgent {
public:
    struct Outcome {
        bool ok = false;
        QString error;
        QUrl redirect;    // the URL that matched stopPrefix
        QByteArray lastPage;
        int steps = 0;
    };

    QString login = QStringLiteral("alice");
    QString password = QStringLiteral("any-password");
    bool declineConsent = false;  // presses "abort" instead of continuing where offered

    // Blocks with a local event loop: test code only.
    Outcome browse(const QUrl &start, const QString &stopPrefix, const QString &userCode = QString());
    // Follows redirects to the redirect URI, including a real GET to it (a loopback receiver).
    Outcome browseAndDeliver(const QUrl &start, const QString &redirectPrefix);

private:
    struct Page {
        int status = 0;
        QUrl url;
        QUrl location;
        QByteArray body;
        QString error;
    };
    Page fetch(const QUrl &url, const QByteArray &postBody = QByteArray());

    QNetworkAccessManager m_network;
};

} // namespace portolan::test
