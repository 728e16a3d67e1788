// JOSE, PKCE and digest primitives checked against the RFCs' own test vectors
// and OpenSSL round trips.
#include "authorizationrequest.h"
#include "digest.h"
#include "dpop.h"
#include "jose.h"
#include "oidc.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>
#include <QUrlQuery>

using namespace portolan::auth;

class TestJose : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pkceRfc7636Vector()
    {
        // RFC 7636 Appendix B.
        QCOMPARE(AuthorizationRequest::codeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", QStringLiteral("S256")),
                 QByteArray("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        QCOMPARE(AuthorizationRequest::codeChallenge("abc", QStringLiteral("plain")), QByteArray("abc"));
    }

    void randomTokensAreFreshAndUrlSafe()
    {
        QSet<QByteArray> seen;
        for (int i = 0; i < 200; ++i) {
            const QByteArray token = randomToken(32);
            QCOMPARE(token.size(), 43);
            QVERIFY(!token.contains('+') && !token.contains('/') && !token.contains('='));
            QVERIFY(!seen.contains(token));
            seen.insert(token);
        }
    }

    void thumbprintRfc7638Vector()
    {
        // RFC 7638 §3.1.
        const QJsonObject jwk = QJsonDocument::fromJson(
            R"({"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"})")
                                   .object();
        QString error;
        const JsonWebKey key = JsonWebKey::fromJwk(jwk, &error);
        QVERIFY2(!key.isNull(), qPrintable(error));
        QCOMPARE(key.thumbprint(), QByteArray("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"));
        QCOMPARE(key.keyId(), QStringLiteral("2011-04-29"));
    }

    void es256SignVerifyRoundTrip()
    {
        const JsonWebKey key = JsonWebKey::generateEs256();
        QString error;
        const QByteArray jwt = signJwt({}, QJsonObject{{QStringLiteral("sub"), QStringLiteral("x")}}, key,
                                       QStringLiteral("ES256"), &error);
        QVERIFY2(!jwt.isEmpty(), qPrintable(error));
        const DecodedJwt decoded = DecodedJwt::decode(jwt);
        QVERIFY(decoded.wellFormed);
        QCOMPARE(decoded.signature.size(), 64);
        // Verify with only the public half, as a server would.
        const JsonWebKey publicKey = JsonWebKey::fromJwk(key.publicJwk(), &error);
        QVERIFY2(!publicKey.isNull(), qPrintable(error));
        QVERIFY(!publicKey.hasPrivateKey());
        QVERIFY(verifySignature(decoded.signingInput, decoded.signature, publicKey, QStringLiteral("ES256"), &error));
        QByteArray flipped = decoded.signature;
        flipped[10] = char(flipped[10] ^ 1);
        QVERIFY(!verifySignature(decoded.signingInput, flipped, publicKey, QStringLiteral("ES256"), &error));
        // Keys are persisted as PEM in the keychain and must come back the same.
        const JsonWebKey reloaded = JsonWebKey::fromPrivatePem(key.privatePem(), {}, &error);
        QCOMPARE(reloaded.thumbprint(), key.thumbprint());
        // The wrong key type for an algorithm is refused, not attempted.
        QVERIFY(!verifySignature(decoded.signingInput, decoded.signature, publicKey, QStringLiteral("RS256"), &error));
        QVERIFY(error.contains(QStringLiteral("cannot verify")));
    }

    void dpopProofShape()
    {
        const JsonWebKey key = JsonWebKey::generateEs256();
        QString error;
        const QByteArray proof = dpopProof(key, QStringLiteral("get"), QUrl(QStringLiteral("https://api.example/r?q=1#f")),
                                           "server-nonce", "token-value", &error);
        const DecodedJwt jwt = DecodedJwt::decode(proof);
        QVERIFY(jwt.wellFormed);
        QCOMPARE(jwt.header.value(QStringLiteral("typ")).toString(), QStringLiteral("dpop+jwt"));
        QCOMPARE(jwt.header.value(QStringLiteral("jwk")).toObject().value(QStringLiteral("crv")).toString(), QStringLiteral("P-256"));
        QVERIFY(!jwt.header.value(QStringLiteral("jwk")).toObject().contains(QStringLiteral("d")));
        QCOMPARE(jwt.payload.value(QStringLiteral("htm")).toString(), QStringLiteral("GET"));
        QCOMPARE(jwt.payload.value(QStringLiteral("htu")).toString(), QStringLiteral("https://api.example/r"));
        QCOMPARE(jwt.payload.value(QStringLiteral("nonce")).toString(), QStringLiteral("server-nonce"));
        // ath = base64url(SHA-256("token-value"))
        QCOMPARE(jwt.payload.value(QStringLiteral("ath")).toString(),
                 QString::fromLatin1(base64UrlEncode(QCryptographicHash::hash("token-value", QCryptographicHash::Sha256))));
        const JsonWebKey publicKey = JsonWebKey::fromJwk(jwt.header.value(QStringLiteral("jwk")).toObject(), &error);
        QVERIFY(verifySignature(jwt.signingInput, jwt.signature, publicKey, QStringLiteral("ES256"), &error));
    }

    void malformedJwts_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QString>("error");
        QTest::newRow("two parts") << QByteArray("a.b") << "three dot-separated parts";
        QTest::newRow("jwe") << QByteArray("a.b.c.d.e") << "encrypted";
        QTest::newRow("bad base64") << QByteArray("a*b.c.d") << "base64url";
        QTest::newRow("header not object") << (base64UrlEncode("[1]") + ".e30.") << "header is not a JSON object";
    }

    void malformedJwts()
    {
        QFETCH(QByteArray, token);
        QFETCH(QString, error);
        const DecodedJwt jwt = DecodedJwt::decode(token);
        QVERIFY(!jwt.wellFormed);
        QVERIFY2(jwt.error.contains(error), qPrintable(jwt.error));
        QVERIFY(!inspectJwt(token).wellFormed);
    }

    void digestRfc7616Vectors_data()
    {
        QTest::addColumn<QString>("algorithm");
        QTest::addColumn<QByteArray>("response");
        // RFC 7616 §3.9.1.
        QTest::newRow("MD5") << "MD5" << QByteArray("8ca523f5e9506fed4657c9700eebdbec");
        QTest::newRow("SHA-256") << "SHA-256" << QByteArray("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    }

    void digestRfc7616Vectors()
    {
        QFETCH(QString, algorithm);
        QFETCH(QByteArray, response);
        const QByteArray challenge = "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm="
            + algorithm.toLatin1()
            + ", nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";
        DigestResponder responder;
        QString error;
        const QByteArray header = responder.authorization(challenge, QStringLiteral("GET"), "/dir/index.html", {},
                                                          QStringLiteral("Mufasa"), "Circle of Life", &error,
                                                          "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
        QVERIFY2(!header.isEmpty(), qPrintable(error));
        QVERIFY2(header.contains("response=\"" + response + '"'), header.constData());
        QVERIFY(header.contains("nc=00000001"));
        QVERIFY(header.contains("qop=auth,") || header.contains("qop=auth, "));
        QVERIFY(header.contains("opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""));
        // The same nonce again counts up.
        const QByteArray second = responder.authorization(challenge, QStringLiteral("GET"), "/dir/index.html", {},
                                                          QStringLiteral("Mufasa"), "Circle of Life", &error);
        QVERIFY(second.contains("nc=00000002"));
    }

    void digestChallengeParsing()
    {
        const QList<AuthChallenge> challenges = parseAuthChallenges(
            "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"expired \\\"soon\\\"\", "
            "Digest realm=\"r\", nonce=\"n,1\", qop=\"auth\"");
        QCOMPARE(challenges.size(), 2);
        QCOMPARE(challenges[0].scheme, QStringLiteral("Bearer"));
        QCOMPARE(challenges[0].parameters.value(QStringLiteral("error")), QStringLiteral("invalid_token"));
        QCOMPARE(challenges[0].parameters.value(QStringLiteral("error_description")), QStringLiteral("expired \"soon\""));
        QCOMPARE(challenges[1].parameters.value(QStringLiteral("nonce")), QStringLiteral("n,1"));
        DigestResponder responder;
        QString error;
        QVERIFY(responder.authorization("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512", QStringLiteral("GET"), "/", {},
                                        QStringLiteral("u"), "p", &error).isEmpty());
        QVERIFY(error.contains(QStringLiteral("unsupported digest algorithm SHA-512")));
        QVERIFY(responder.authorization("Basic realm=\"r\"", QStringLiteral("GET"), "/", {}, QStringLiteral("u"), "p", &error).isEmpty());
        QVERIFY(error.contains(QStringLiteral("did not send a Digest challenge")));
    }

    void garbageNeverHangsOrCrashes()
    {
        // Headers and tokens come from servers: any bytes must give an answer, not a hang.
        QRandomGenerator random(20261128);
        const QByteArray alphabet = "Digest Bearer realm=\"\\,;= abc\t.-_eyJ0";
        for (int round = 0; round < 2000; ++round) {
            QByteArray text;
            const int length = int(random.bounded(80));
            for (int i = 0; i < length; ++i)
                text += round % 2 ? alphabet[int(random.bounded(alphabet.size()))] : char(random.bounded(256));
            parseAuthChallenges(text);
            DigestResponder responder;
            QString error;
            responder.authorization(text, QStringLiteral("GET"), "/", {}, QStringLiteral("u"), "p", &error);
            DecodedJwt::decode(text);
            inspectJwt(text);
        }
    }

    void authorizationUrlEncoding()
    {
        AuthorizationConfig config;
        config.authorizationUrl = QUrl(QStringLiteral("https://as.example/authorize?tenant=a"));
        config.clientId = QStringLiteral("my app");
        config.redirectUri = QUrl(QStringLiteral("http://127.0.0.1:5000/callback"));
        config.scopes = {QStringLiteral("read"), QStringLiteral("a+b")};
        config.extraParameters = {{QStringLiteral("audience"), QStringLiteral("https://api.example/?x=1&y=2")}};
        const AuthorizationRequest request(config);
        const QUrlQuery query(request.url());
        QCOMPARE(query.queryItemValue(QStringLiteral("tenant")), QStringLiteral("a"));
        QCOMPARE(query.queryItemValue(QStringLiteral("client_id"), QUrl::FullyDecoded), QStringLiteral("my app"));
        QCOMPARE(query.queryItemValue(QStringLiteral("scope"), QUrl::FullyDecoded), QStringLiteral("read a+b"));
        QCOMPARE(query.queryItemValue(QStringLiteral("audience"), QUrl::FullyDecoded), QStringLiteral("https://api.example/?x=1&y=2"));
        QVERIFY(!query.hasQueryItem(QStringLiteral("nonce")));  // not OpenID Connect
        QVERIFY(request.url().toString(QUrl::FullyEncoded).contains(QStringLiteral("a%2Bb")));
        // A state from another request is refused; error responses are reported.
        const QUrl forged(QStringLiteral("http://127.0.0.1:5000/callback?code=c&state=forged"));
        QCOMPARE(request.consume(forged).error.error, QStringLiteral("state_mismatch"));
        QUrl denied(QStringLiteral("http://127.0.0.1:5000/callback"));
        denied.setQuery(QStringLiteral("error=access_denied&error_description=User+said%20no%2B&error_uri=https%3A%2F%2Fas.example%2Fe&state=")
                        + QString::fromLatin1(request.state()));
        const CallbackResult result = request.consume(denied);
        QVERIFY(!result.ok);
        QCOMPARE(result.error.error, QStringLiteral("access_denied"));
        QCOMPARE(result.error.description, QStringLiteral("User said no+"));  // form encoding: '+' is a space
        QCOMPARE(result.error.uri, QStringLiteral("https://as.example/e"));
        QVERIFY(!request.isRedirect(QUrl(QStringLiteral("http://127.0.0.1:5001/callback"))));
        QVERIFY(!request.isRedirect(QUrl(QStringLiteral("http://127.0.0.1:5000/callback2"))));
    }
};

QTEST_GUILESS_MAIN(TestJose)
#include "tst_jose.moc"
