// OpenID Connect relying-party conformance: each OpenID Foundation "Basic RP"
// certification test case (plus the RFC 9207 ones), reproduced by the
// misbehaving provider in tests/services/rp-conformance on loopback, and the
// outcome the certification expects from the relying party.
#include "oauthlogin.h"
#include "oidc.h"
#include "rpconformanceprovider.h"

#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace portolan;
using namespace portolan::auth;

namespace {

// A browser that needs no person: the provider answers the authorization
// request with its redirect at once, which is handed to the login.
class InstantBrowser : public BrowserLauncher {
public:
    OAuthLogin *login = nullptr;
    QNetworkAccessManager network;

    void openAuthorizationUrl(const QUrl &url, const QUrl &) override
    {
        QNetworkRequest request(url);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        QNetworkReply *reply = network.get(request);
        QObject::connect(reply, &QNetworkReply::finished, reply, [this, reply] {
            reply->deleteLater();
            const QUrl location = QUrl::fromEncoded(reply->rawHeader("Location"));
            if (location.isEmpty() || !login->handleRedirect(location))
                login->cancel();
        });
    }
};

} // namespace

class RpConformanceTest final : public QObject {
    Q_OBJECT

private:
    test::RpConformanceProvider m_provider;
    QNetworkAccessManager m_network;
    TokenClient m_client{&m_network};

    LoginSettings settings(const QString &testCase, OAuthFlowKind flow = OAuthFlowKind::AuthorizationCode)
    {
        LoginSettings s;
        s.flow = flow;
        s.discoveryUrl = m_provider.discoveryUrl(testCase);
        s.client.clientId = QLatin1String(test::RpConformanceProvider::ClientId);
        s.client.clientSecret = test::RpConformanceProvider::ClientSecret;
        s.client.authMethod = ClientAuthMethod::ClientSecretBasic;
        s.scopes = {QStringLiteral("openid"), QStringLiteral("profile")};
        s.redirectUri = QUrl(QStringLiteral("http://127.0.0.1:9/callback"));  // never contacted
        return s;
    }

    LoginResult login(const LoginSettings &s, OidcDiscovery *discovery)
    {
        OAuthLogin login(&m_client, discovery);
        InstantBrowser browser;
        browser.login = &login;
        QSignalSpy spy(&login, &OAuthLogin::finished);
        login.start(s, &browser);
        if (spy.isEmpty() && !spy.wait(15'000))
            return LoginResult{false, OAuthError{QStringLiteral("timeout"), QStringLiteral("no result"), {}, 0}, {}, {}, {}, {}, {}};
        return spy.first().first().value<LoginResult>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_provider.start(&error), qPrintable(error));
    }

    void basicRpTestCases_data()
    {
        QTest::addColumn<QString>("testCase");
        QTest::addColumn<bool>("implicit");
        QTest::addColumn<QString>("expectedError");  // empty: the login must succeed
        QTest::addColumn<QString>("errorMentions");
        auto accept = [](const char *name) { QTest::newRow(name) << name << false << QString() << QString(); };
        auto refuse = [](const char *name, const char *error, const char *mentions, bool implicit = false) {
            QTest::newRow(name) << name << implicit << error << mentions;
        };
        accept("rp-response_type-code");
        accept("rp-token_endpoint-client_secret_basic");
        refuse("rp-nonce-invalid", "invalid_id_token", "nonce");
        refuse("rp-id_token-aud", "invalid_id_token", "aud");
        refuse("rp-id_token-iat", "invalid_id_token", "iat");
        refuse("rp-id_token-sub", "invalid_id_token", "sub");
        refuse("rp-id_token-issuer-mismatch", "invalid_id_token", "iss");
        refuse("rp-id_token-bad-sig-rs256", "invalid_id_token", "signature");
        refuse("rp-id_token-bad-sig-es256", "invalid_id_token", "signature");
        accept("rp-id_token-sig-es256");
        // The certification accepts an unsigned ID token only from an RP that
        // registered id_token_signed_response_alg=none; Portolan never does.
        refuse("rp-id_token-sig-none", "invalid_id_token", "\"none\"");
        accept("rp-id_token-kid-absent-single-jwks");
        // Either outcome passes the certification; Portolan tries each key that fits the algorithm.
        accept("rp-id_token-kid-absent-multiple-jwks");
        refuse("rp-discovery-issuer-not-matching-config", "discovery_failed", "issuer");
        accept("rp-discovery-jwks_uri-keys");
        refuse("rp-userinfo-bad-sub-claim", "userinfo_subject_mismatch", "someone-else");
        accept("rp-userinfo-bearer-header");
        refuse("rp-id_token-expired", "invalid_id_token", "expired");
        refuse("rp-id_token-wrong-azp", "invalid_id_token", "azp");
        refuse("rp-id_token-wrong-at_hash", "invalid_id_token", "at_hash");
        refuse("rp-implicit-at_hash-missing", "invalid_id_token", "at_hash", true);
        refuse("rfc9207-iss-mismatch", "issuer_mismatch", "attacker.example");
        refuse("rfc9207-iss-missing", "issuer_missing", "iss");
    }

    void basicRpTestCases()
    {
        QFETCH(QString, testCase);
        QFETCH(bool, implicit);
        QFETCH(QString, expectedError);
        QFETCH(QString, errorMentions);
        OidcDiscovery discovery(&m_network);
        const LoginResult result = login(settings(testCase, implicit ? OAuthFlowKind::Implicit : OAuthFlowKind::AuthorizationCode),
                                         &discovery);
        if (expectedError.isEmpty()) {
            QVERIFY2(result.ok, qPrintable(result.error.text()));
            QCOMPARE(result.idTokenClaims.value(QLatin1String("sub")).toString(), QLatin1String(test::RpConformanceProvider::Subject));
            // Userinfo is fetched after the login (Bearer header only, as the provider demands).
            QCOMPARE(result.userinfoClaims.value(QLatin1String("sub")).toString(), QLatin1String(test::RpConformanceProvider::Subject));
            QCOMPARE(result.userinfoClaims.value(QLatin1String("name")).toString(), QStringLiteral("Alice Example"));
            QCOMPARE(m_provider.stats(testCase).value(QLatin1String("userinfo")).toInt(), 1);
        } else {
            QVERIFY2(!result.ok, qPrintable(testCase));
            QCOMPARE(result.error.error, expectedError);
            QVERIFY2(result.error.description.contains(errorMentions), qPrintable(result.error.description));
            QVERIFY(result.tokens.accessToken.isEmpty());
        }
    }

    // rp-key-rotation-op-sign-key, and the JWKS kept per issuer across logins
    // and across runs (a second OidcDiscovery with the same cache folder).
    void keyRotationAndKeptKeys()
    {
        const QString testCase = QStringLiteral("rp-key-rotation-op-sign-key");
        QTemporaryDir cache;
        QVERIFY(cache.isValid());
        auto jwksFetches = [&] { return m_provider.stats(testCase).value(QLatin1String("jwks")).toInt(); };
        {
            OidcDiscovery first(&m_network);
            first.setCacheDirectory(cache.path());
            const LoginResult result = login(settings(testCase), &first);
            QVERIFY2(result.ok, qPrintable(result.error.text()));
            QCOMPARE(jwksFetches(), 1);
            QVERIFY2(login(settings(testCase), &first).ok, "second login in the same run");
            QCOMPARE(jwksFetches(), 1);
        }
        OidcDiscovery nextRun(&m_network);
        nextRun.setCacheDirectory(cache.path());
        QVERIFY2(login(settings(testCase), &nextRun).ok, "a later run");
        QCOMPARE(jwksFetches(), 1);

        QVERIFY(m_provider.rotateKey(testCase));
        const LoginResult rotated = login(settings(testCase), &nextRun);
        QVERIFY2(rotated.ok, qPrintable(rotated.error.text()));
        QCOMPARE(jwksFetches(), 2);  // the unknown kid refetched the key set once
    }

    // A plain oauth2 scheme (no discovery URL): the ID token's keys come from
    // metadata found from the token endpoint, never from the token's own iss.
    void plainOAuth2IdTokenKeysFromTheEndpoint_data()
    {
        QTest::addColumn<QString>("testCase");
        QTest::addColumn<QString>("expectedError");
        QTest::newRow("good provider") << "rp-response_type-code" << QString();
        QTest::newRow("iss elsewhere") << "rp-id_token-issuer-mismatch" << "invalid_id_token";
        QTest::newRow("bad signature") << "rp-id_token-bad-sig-rs256" << "invalid_id_token";
        QTest::newRow("RFC 9207 iss of another origin") << "rfc9207-iss-mismatch" << "issuer_mismatch";
    }

    void plainOAuth2IdTokenKeysFromTheEndpoint()
    {
        QFETCH(QString, testCase);
        QFETCH(QString, expectedError);
        LoginSettings s = settings(testCase);
        s.discoveryUrl.clear();
        s.authorizationUrl = m_provider.endpoint(testCase, QStringLiteral("/authorize"));
        s.tokenUrl = m_provider.endpoint(testCase, QStringLiteral("/token"));
        OidcDiscovery discovery(&m_network);
        const LoginResult result = login(s, &discovery);
        if (expectedError.isEmpty()) {
            QVERIFY2(result.ok, qPrintable(result.error.text()));
            QCOMPARE(result.settings.issuer, m_provider.issuer(testCase).toString());
        } else {
            QVERIFY(!result.ok);
            QCOMPARE(result.error.error, expectedError);
            // Never "its issuer's keys cannot be found" after a fetch from https://example.org/.
            QVERIFY2(!result.error.description.contains(QLatin1String("cannot be found")), qPrintable(result.error.description));
        }
    }
};

QTEST_MAIN(RpConformanceTest)
#include "tst_rpconformance.moc"
