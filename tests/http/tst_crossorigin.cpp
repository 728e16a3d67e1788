// Credentials stay with the origin of the request the user sent. Real loopback
// servers (two ports = two origins, one of them over TLS) record what they
// receive; each test reads the receiving server's log, not the client's record.
// Credentials are real stored ones applied through SignerAuthenticator.
#include "credentialstore.h"
#include "exchangesender.h"
#include "jose.h"
#include "recordingserver.h"
#include "requestsigner.h"
#include "signerauthenticator.h"
#include "tlsserver.h"
#include "tokenclient.h"
#include "tokenmanager.h"

#include <QNetworkAccessManager>
#include <QNetworkCookieJar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace portolan;
using namespace portolan::auth;
using namespace portolan::http;
using portolan::test::RecordingServer;
using portolan::test::TestCertificates;

namespace {

enum class Route { SameOrigin, OtherOrigin, HttpsToHttp };

const QByteArray kDigestChallenge = R"(Digest realm="test", qop="auth", nonce="n0nce", algorithm=MD5)";
const QByteArray kEnvironmentSecret = "env-secret-1357";

struct StoredCredential {
    QString scheme;
    CredentialKind kind;
    QString username;
    QString tokenType;
    Secrets secrets;
};

} // namespace

class TestCrossOrigin : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    TestCertificates m_certificates;
    RecordingServer m_a, m_b, m_secure;  // two plain origins, and an https one
    QNetworkAccessManager m_network;
    TokenClient m_client{&m_network};
    CredentialStore m_store{m_dir.filePath(QStringLiteral("credentials.json"))};
    TokenManager m_tokens{&m_store, &m_client};
    RequestSigner m_signer{&m_store, &m_tokens};
    ApiDocument m_document;
    QHash<QString, QString> m_credentials;  // scheme -> credential id

    void declare(const QString &name, SecuritySchemeType type, const QString &in = {}, const QString &parameter = {},
                 const QString &httpScheme = {})
    {
        SecurityScheme scheme;
        scheme.name = name;
        scheme.type = type;
        scheme.in = in;
        scheme.parameterName = parameter;
        scheme.scheme = httpScheme;
        m_document.securitySchemes.append(scheme);
    }

    QString store(const StoredCredential &c)
    {
        CredentialInfo info;
        info.api = apiIdentity(m_document);
        info.scheme = c.scheme;
        info.kind = c.kind;
        info.username = c.username;
        info.tokenType = c.tokenType;
        if (c.kind == CredentialKind::OAuth2) {
            info.clientId = QStringLiteral("portolan-test");
            info.clientAuthMethod = QStringLiteral("none");
            info.tokenUrl = m_a.url(QStringLiteral("/token")).toString();
            info.hasRefreshToken = c.secrets.contains(QLatin1String(secret::RefreshToken));
            info.expiresAt = QDateTime::currentDateTimeUtc().addSecs(3600);
        }
        QString id;
        m_store.save(info, c.secrets, [&](const StoreResult &, const CredentialInfo &saved) { id = saved.id; });
        if (!QTest::qWaitFor([&] { return !id.isEmpty(); }, 10'000))
            qWarning("the credential was not saved within 10 s");  // the caller's checks then fail on the empty id
        return id;
    }

    Exchange send(const QString &scheme, HttpRequest request, const QList<SecretUse> &variableSecrets = {})
    {
        ExchangeSender sender(&m_network);
        QNetworkCookieJar jar;
        sender.setCookieJar(&jar);
        std::unique_ptr<SignerAuthenticator> authenticator;
        if (!scheme.isEmpty()) {
            authenticator = std::make_unique<SignerAuthenticator>(&m_signer, m_document, SecurityAlternative{SchemeUse{scheme, {}}},
                                                                  m_credentials);
            sender.setAuthenticator(authenticator.get());
        }
        SendOptions options;
        options.tls.extraCaCertificates = {TestCertificates::certificate(m_certificates.caCertificate)};
        QSignalSpy finished(&sender, &ExchangeSender::finished);
        if (!sender.send(request, options, variableSecrets) || !finished.wait(20'000))
            return {};
        return sender.exchange();
    }

    static bool anyRequestContains(const QList<RecordingServer::Request> &requests, const QByteArray &text)
    {
        for (const RecordingServer::Request &r : requests) {
            if (r.raw.contains(text))
                return true;
        }
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<Exchange>();
        QString error;
        QVERIFY2(m_certificates.generate(m_dir.path(), &error), qPrintable(error));
        QVERIFY2(m_a.start(&error), qPrintable(error));
        QVERIFY2(m_b.start(&error), qPrintable(error));
        QVERIFY2(m_secure.start(&error, &m_certificates), qPrintable(error));
        m_a.respond("/token", {200, {{"Content-Type", "application/json"}},
                               R"({"access_token":"fresh-token-1111","token_type":"Bearer","expires_in":3600})"});
        for (RecordingServer *server : {&m_a, &m_b, &m_secure})
            server->respond("/landing-digest", {401, {{"WWW-Authenticate", kDigestChallenge}}, {}});

        m_document.info.title = QStringLiteral("Cross-origin test");
        declare(QStringLiteral("headerKey"), SecuritySchemeType::ApiKey, QStringLiteral("header"), QStringLiteral("X-Api-Key"));
        declare(QStringLiteral("queryKey"), SecuritySchemeType::ApiKey, QStringLiteral("query"), QStringLiteral("api_key"));
        declare(QStringLiteral("cookieKey"), SecuritySchemeType::ApiKey, QStringLiteral("cookie"), QStringLiteral("session_key"));
        declare(QStringLiteral("bearer"), SecuritySchemeType::Http, {}, {}, QStringLiteral("bearer"));
        declare(QStringLiteral("basic"), SecuritySchemeType::Http, {}, {}, QStringLiteral("basic"));
        declare(QStringLiteral("digest"), SecuritySchemeType::Http, {}, {}, QStringLiteral("digest"));
        declare(QStringLiteral("dpop"), SecuritySchemeType::OAuth2);
        declare(QStringLiteral("oauth"), SecuritySchemeType::OAuth2);

        const QList<StoredCredential> credentials{
            {QStringLiteral("headerKey"), CredentialKind::ApiKey, {}, {}, {{QLatin1String(secret::ApiKey), "hdr-secret-1234"}}},
            {QStringLiteral("queryKey"), CredentialKind::ApiKey, {}, {}, {{QLatin1String(secret::ApiKey), "qry-secret-5678"}}},
            {QStringLiteral("cookieKey"), CredentialKind::ApiKey, {}, {}, {{QLatin1String(secret::ApiKey), "ck-secret-9012"}}},
            {QStringLiteral("bearer"), CredentialKind::Bearer, {}, {}, {{QLatin1String(secret::Token), "bearer-secret-3456"}}},
            {QStringLiteral("basic"), CredentialKind::Basic, QStringLiteral("alice"), {}, {{QLatin1String(secret::Password), "basic-pw-7890"}}},
            {QStringLiteral("digest"), CredentialKind::Digest, QStringLiteral("alice"), {}, {{QLatin1String(secret::Password), "digest-pw-1470"}}},
            {QStringLiteral("dpop"), CredentialKind::OAuth2, {}, QStringLiteral("DPoP"),
             {{QLatin1String(secret::AccessToken), "dpop-token-2468"}, {QLatin1String(secret::DpopKey), JsonWebKey::generateEs256().privatePem()}}},
            {QStringLiteral("oauth"), CredentialKind::OAuth2, {}, QStringLiteral("Bearer"),
             {{QLatin1String(secret::AccessToken), "oauth-token-8642"}, {QLatin1String(secret::RefreshToken), "refresh-9753"}}},
        };
        for (const StoredCredential &c : credentials) {
            const QString id = store(c);
            QVERIFY2(!id.isEmpty(), qPrintable(c.scheme));
            m_credentials.insert(c.scheme, id);
        }
    }

    // The matrix: each kind of credential, redirected within its origin (kept),
    // to another origin (dropped) and from https to http (dropped).
    void credentialsStayWithTheirOrigin_data()
    {
        QTest::addColumn<QString>("scheme");     // empty: a secret environment variable, no credential
        QTest::addColumn<QByteArray>("onWire");  // how the secret looks on the wire
        QTest::addColumn<int>("route");
        struct Kind {
            const char *name;
            QString scheme;
            QByteArray onWire;
        };
        const QList<Kind> kinds{
            {"header key", QStringLiteral("headerKey"), "hdr-secret-1234"},
            {"query key", QStringLiteral("queryKey"), "qry-secret-5678"},
            {"cookie key", QStringLiteral("cookieKey"), "ck-secret-9012"},
            {"bearer", QStringLiteral("bearer"), "bearer-secret-3456"},
            {"basic", QStringLiteral("basic"), QByteArray("alice:basic-pw-7890").toBase64()},
            {"digest", QStringLiteral("digest"), "Digest username=\"alice\""},
            {"DPoP", QStringLiteral("dpop"), "dpop-token-2468"},
            {"secret variable", QString(), kEnvironmentSecret},
        };
        for (const Kind &k : kinds) {
            QTest::addRow("%s, same origin", k.name) << k.scheme << k.onWire << int(Route::SameOrigin);
            QTest::addRow("%s, other origin", k.name) << k.scheme << k.onWire << int(Route::OtherOrigin);
            QTest::addRow("%s, https to http", k.name) << k.scheme << k.onWire << int(Route::HttpsToHttp);
        }
    }

    void credentialsStayWithTheirOrigin()
    {
        QFETCH(QString, scheme);
        QFETCH(QByteArray, onWire);
        QFETCH(int, route);
        static int round = 0;
        const QString start = QStringLiteral("/start%1").arg(++round);
        const QString landing = scheme == QLatin1String("digest") ? QStringLiteral("/landing-digest") : QStringLiteral("/landing%1").arg(round);
        RecordingServer &from = Route(route) == Route::HttpsToHttp ? m_secure : m_a;
        RecordingServer &to = Route(route) == Route::SameOrigin ? m_a : m_b;
        from.redirect(start.toUtf8(), to.url(landing), 307);
        const qsizetype before = to.requestsTo(landing.toUtf8()).size();

        HttpRequest request;
        request.url = from.url(start);
        QList<SecretUse> variables;
        if (scheme.isEmpty()) {
            // What substituting {{envToken}} into a header and a query value produced.
            request.url.setQuery(QStringLiteral("env=") + QString::fromLatin1(kEnvironmentSecret));
            request.headers.append({"X-Env-Token", kEnvironmentSecret});
            variables.append({SecretUse::Location::Header, {}, {}, QStringLiteral("envToken"), kEnvironmentSecret});
        }
        const Exchange exchange = send(scheme, request, variables);
        QVERIFY2(exchange.error == TransportError::None, qPrintable(exchange.errorMessage));
        QVERIFY(exchange.hops.size() >= 2);

        // The first server always got the secret (digest answers only a challenge).
        if (scheme != QLatin1String("digest"))
            QVERIFY2(anyRequestContains(from.requestsTo(start.toUtf8()), onWire), onWire.constData());
        const QList<RecordingServer::Request> received = to.requestsTo(landing.toUtf8()).mid(before);
        QVERIFY(!received.isEmpty());
        const bool kept = Route(route) == Route::SameOrigin;
        QVERIFY2(anyRequestContains(received, onWire) == kept,
                 qPrintable(QStringLiteral("%1 %2 at %3").arg(QString::fromLatin1(onWire), kept ? "missing" : "leaked",
                                                               to.url(landing).toString())));
        if (!kept) {
            // Nothing that authenticates reached the other origin, whatever its form.
            for (const RecordingServer::Request &r : received) {
                QVERIFY2(r.header("Authorization").isEmpty(), r.raw.constData());
                QVERIFY2(r.header("DPoP").isEmpty(), r.raw.constData());
            }
            // The record says on the hop what was withheld and why (digest sends
            // nothing before a challenge, so nothing was there to withhold).
            const Hop &redirected = exchange.hops.at(1);
            QVERIFY(scheme == QLatin1String("digest") || !redirected.withheld.isEmpty());
            for (const Withheld &w : redirected.withheld) {
                QVERIFY2(w.reason.contains(to.url().authority()), qPrintable(w.reason));
                QVERIFY2(!w.what.contains(QLatin1String(onWire)), qPrintable(w.what));  // names, never values
            }
        } else {
            QVERIFY(exchange.hops.at(1).withheld.isEmpty());
        }
    }

    // A 401 from another origin is never answered with this origin's credential:
    // no DPoP-nonce retry, no refresh, no digest answer.
    void challengesFromAnotherOriginAreNotAnswered_data()
    {
        QTest::addColumn<QString>("scheme");
        QTest::addColumn<QByteArray>("challenge");
        QTest::addColumn<QByteArray>("nonce");
        QTest::newRow("use_dpop_nonce, bearer credential") << QStringLiteral("bearer") << QByteArray(R"(DPoP error="use_dpop_nonce")") << QByteArray("n-1");
        QTest::newRow("use_dpop_nonce, DPoP credential") << QStringLiteral("dpop") << QByteArray(R"(DPoP error="use_dpop_nonce")") << QByteArray("n-2");
        QTest::newRow("invalid_token, refreshable credential") << QStringLiteral("oauth") << QByteArray(R"(Bearer error="invalid_token")") << QByteArray();
        QTest::newRow("digest challenge") << QStringLiteral("digest") << kDigestChallenge << QByteArray();
    }

    void challengesFromAnotherOriginAreNotAnswered()
    {
        QFETCH(QString, scheme);
        QFETCH(QByteArray, challenge);
        QFETCH(QByteArray, nonce);
        static int round = 0;
        const QByteArray start = "/challenge-start" + QByteArray::number(++round);
        const QByteArray landing = "/challenge" + QByteArray::number(round);
        m_a.redirect(start, m_b.url(QString::fromLatin1(landing)), 302);
        RecordingServer::Response unauthorized{401, {{"WWW-Authenticate", challenge}}, "{}"};
        if (!nonce.isEmpty())
            unauthorized.headers.append({"DPoP-Nonce", nonce});
        m_b.respond(landing, unauthorized);
        const qsizetype tokenRequests = m_a.requestsTo("/token").size();

        HttpRequest request;
        request.url = m_a.url(QString::fromLatin1(start));
        const Exchange exchange = send(scheme, request);
        QCOMPARE(exchange.error, TransportError::None);
        QCOMPARE(exchange.finalHop().response.status, 401);
        const QList<RecordingServer::Request> received = m_b.requestsTo(landing);
        QCOMPARE(received.size(), 1);  // not retried
        QVERIFY2(received.first().header("Authorization").isEmpty(), received.first().raw.constData());
        QVERIFY2(received.first().header("DPoP").isEmpty(), received.first().raw.constData());
        QCOMPARE(m_a.requestsTo("/token").size(), tokenRequests);  // nothing refreshed
        QVERIFY2(exchange.errorMessage.contains(m_b.url().authority()), qPrintable(exchange.errorMessage));
    }

    // RFC 9449 §8: a DPoP nonce is asked of DPoP proofs; a plain bearer token
    // gains nothing from a retry, so none is made.
    void useDpopNonceRetriesOnlyDpopBoundCredentials()
    {
        RecordingServer::Response unauthorized{401, {{"WWW-Authenticate", R"(DPoP error="use_dpop_nonce")"}, {"DPoP-Nonce", "n-3"}}, "{}"};
        m_a.respond("/nonce-bearer", unauthorized);
        HttpRequest request;
        request.url = m_a.url(QStringLiteral("/nonce-bearer"));
        const Exchange bearer = send(QStringLiteral("oauth"), request);
        QCOMPARE(bearer.finalHop().response.status, 401);
        QCOMPARE(m_a.requestsTo("/nonce-bearer").size(), 1);

        m_a.respond("/nonce-dpop", unauthorized);
        request.url = m_a.url(QStringLiteral("/nonce-dpop"));
        const Exchange dpop = send(QStringLiteral("dpop"), request);
        const QList<RecordingServer::Request> received = m_a.requestsTo("/nonce-dpop");
        QCOMPARE(received.size(), 2);  // retried once, with the nonce in the new proof
        const QByteArray proof = received.last().header("DPoP");
        const QJsonObject claims = DecodedJwt::decode(proof).payload;
        QCOMPARE(claims.value(QStringLiteral("nonce")).toString(), QStringLiteral("n-3"));
        QCOMPARE(dpop.hops.size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestCrossOrigin)
#include "tst_crossorigin.moc"
