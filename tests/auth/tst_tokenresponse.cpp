// The token endpoint answer parser on real providers' shapes: pure function,
// no network (the round trips against loopback stand-ins are in tst_providers).
#include "tokenclient.h"
#include "tokenresponse.h"

#include <QJsonDocument>
#include <QTest>

using namespace portolan::auth;

class TestTokenResponse final : public QObject {
    Q_OBJECT

    static EndpointAnswer answer(int status, const QByteArray &body, const QByteArray &type = "application/json")
    {
        return {status, type, body, QUrl(QStringLiteral("https://provider.example/oauth/token"))};
    }

private Q_SLOTS:
    void formEncodedSuccess()
    {
        const TokenResult r = tokenresponse::parse(
            answer(200, "access_token=gho_16C7e42F292c6912E7710c838347Ae178B4a&scope=repo%2Cgist&token_type=bearer",
                   "application/x-www-form-urlencoded; charset=utf-8"));
        QVERIFY2(r.ok, qPrintable(r.error.text()));
        QCOMPARE(r.tokens.accessToken, QByteArray("gho_16C7e42F292c6912E7710c838347Ae178B4a"));
        QCOMPARE(r.tokens.tokenType, QStringLiteral("Bearer"));
        QCOMPARE(r.tokens.scopes, (QStringList{QStringLiteral("repo"), QStringLiteral("gist")}));
        QVERIFY(!r.tokens.expiresAt.isValid());  // valid, expiry unknown
    }

    void formEncodedWithoutContentType()
    {
        const TokenResult r = tokenresponse::parse(answer(200, "access_token=abc123&token_type=bearer", "text/plain"));
        QVERIFY2(r.ok, qPrintable(r.error.text()));
        QCOMPARE(r.tokens.accessToken, QByteArray("abc123"));
    }

    void formErrorInside200()
    {
        const TokenResult r = tokenresponse::parse(answer(
            200, "error=bad_verification_code&error_description=The+code+passed+is+incorrect+or+expired.&error_uri=https%3A%2F%2Fdocs.github.com%2F",
            "application/x-www-form-urlencoded"));
        QVERIFY(!r.ok);
        QCOMPARE(r.error.error, QStringLiteral("bad_verification_code"));
        QCOMPARE(r.error.description, QStringLiteral("The code passed is incorrect or expired."));
        QCOMPARE(r.error.uri, QStringLiteral("https://docs.github.com/"));
        QVERIFY(r.error.text().contains(QStringLiteral("bad_verification_code: The code passed is incorrect or expired.")));
    }

    void jsonErrorInside200()
    {
        const TokenResult r = tokenresponse::parse(answer(200, R"({"error":"incorrect_client_credentials","error_description":"The client_id and/or client_secret passed are incorrect."})"));
        QVERIFY(!r.ok);
        QCOMPARE(r.error.error, QStringLiteral("incorrect_client_credentials"));
        QVERIFY(r.error.description.contains(QStringLiteral("client_secret passed are incorrect")));
    }

    void slackOkFalse()
    {
        const TokenResult r = tokenresponse::parse(answer(200, R"({"ok": false, "error": "invalid_client_id"})"));
        QVERIFY(!r.ok);
        QCOMPARE(r.error.error, QStringLiteral("invalid_client_id"));
        QVERIFY(r.error.description.contains(QStringLiteral("provider.example/oauth/token")));
    }

    void slackBotToken()
    {
        const TokenResult r = tokenresponse::parse(answer(200, R"({"ok":true,"access_token":"xoxb-17653672481","token_type":"bot",
            "scope":"commands,incoming-webhook","bot_user_id":"U0KRQLJ9H",
            "authed_user":{"id":"U1234","access_token":"xoxp-1234","token_type":"user"}})"));
        QVERIFY2(r.ok, qPrintable(r.error.text()));
        QCOMPARE(r.tokens.tokenType, QStringLiteral("bot"));
        QCOMPARE(r.tokens.scopes, (QStringList{QStringLiteral("commands"), QStringLiteral("incoming-webhook")}));
        // The user's token nested in authed_user never reaches the non-secret fields.
        QVERIFY(!QJsonDocument(r.tokens.otherFields).toJson().contains("xoxp-1234"));
        QCOMPARE(r.tokens.otherFields.value(QStringLiteral("bot_user_id")).toString(), QStringLiteral("U0KRQLJ9H"));
    }

    void emptyBodyError()
    {
        const TokenResult r = tokenresponse::parse(answer(401, "", ""));
        QVERIFY(!r.ok);
        QCOMPARE(r.error.httpStatus, 401);
        QVERIFY(r.error.description.contains(QStringLiteral("https://provider.example/oauth/token answered HTTP 401 with an empty body")));
    }

    void htmlError()
    {
        const TokenResult r = tokenresponse::parse(answer(502, "<html><body>Bad gateway secret-value</body></html>", "text/html"));
        QVERIFY(!r.ok);
        QVERIFY(r.error.description.contains(QStringLiteral("HTTP 502")));
        QVERIFY(r.error.description.contains(QStringLiteral("text/html")));
        QVERIFY(!r.error.text().contains(QStringLiteral("secret-value")));  // the body is not echoed
    }

    void standardErrorRedactsEchoedSecrets()
    {
        const TokenResult r = tokenresponse::parse(answer(400, R"({"error":"invalid_client","error_description":"bad secret hunter22"})"),
                                                   {QByteArray("hunter22")});
        QVERIFY(!r.ok);
        QCOMPARE(r.error.description, QStringLiteral("bad secret [redacted]"));
    }

    void expiresInAsString()
    {
        const TokenResult r = tokenresponse::parse(answer(200, R"({"access_token":"a1b2","token_type":"Bearer","expires_in":"3600"})"));
        QVERIFY(r.ok);
        QVERIFY(qAbs(QDateTime::currentDateTimeUtc().secsTo(r.tokens.expiresAt) - 3600) <= 2);
    }

    void expiresInsteadOfExpiresIn()
    {
        const TokenResult r = tokenresponse::parse(answer(200, R"({"access_token":"a1b2","token_type":"Bearer","expires":5183999})"));
        QVERIFY(r.ok);
        QVERIFY(qAbs(QDateTime::currentDateTimeUtc().secsTo(r.tokens.expiresAt) - 5183999) <= 2);
    }

    void unusableExpiryIsUnknown()
    {
        const TokenResult r = tokenresponse::parse(answer(200, R"({"access_token":"a1b2","token_type":"Bearer","expires_in":"soon"})"));
        QVERIFY(r.ok);
        QVERIFY(!r.tokens.expiresAt.isValid());
    }

    void tokenTypes_data()
    {
        QTest::addColumn<QString>("sent");
        QTest::addColumn<QString>("kept");
        QTest::newRow("lowercase") << "bearer" << "Bearer";
        QTest::newRow("uppercase") << "BEARER" << "Bearer";
        QTest::newRow("missing") << "" << "Bearer";
        QTest::newRow("dpop") << "dpop" << "DPoP";
        QTest::newRow("bot") << "bot" << "bot";
    }
    void tokenTypes()
    {
        QFETCH(QString, sent);
        QFETCH(QString, kept);
        QCOMPARE(tokenresponse::normalizedTokenType(sent), kept);
    }

    void missingAccessToken()
    {
        const TokenResult r = tokenresponse::parse(answer(200, R"({"token_type":"Bearer"})"));
        QVERIFY(!r.ok);
        QCOMPARE(r.error.error, QStringLiteral("invalid_response"));
        QVERIFY(r.error.description.contains(QStringLiteral("no access_token")));
    }

    void neitherJsonNorForm()
    {
        const TokenResult r = tokenresponse::parse(answer(200, "<html>login</html>", "text/html"));
        QVERIFY(!r.ok);
        QVERIFY(r.error.description.contains(QStringLiteral("neither a JSON object nor form-encoded")));
        QVERIFY(!tokenresponse::parse(answer(200, "{not json", "application/json")).ok);
    }

    void scopesAsArray()
    {
        const TokenResult r = tokenresponse::parse(answer(200, R"({"access_token":"a1b2","scope":["read","write"]})"));
        QVERIFY(r.ok);
        QCOMPARE(r.tokens.scopes, (QStringList{QStringLiteral("read"), QStringLiteral("write")}));
    }

    void deviceAuthorizationForms()
    {
        DeviceAuthorization github;
        const QByteArray githubAnswer = "device_code=3584d83530557fdd1f46af8289938c8ef79f9dc5&expires_in=900&interval=5"
                                        "&user_code=WDJB-MJHT&verification_uri=https%3A%2F%2Fgithub.com%2Flogin%2Fdevice";
        QVERIFY(tokenresponse::parseDeviceAuthorization(answer(200, githubAnswer, "application/x-www-form-urlencoded"), {}, &github)
                    .isNull());
        QCOMPARE(github.userCode, QStringLiteral("WDJB-MJHT"));
        QCOMPARE(github.expiresInSeconds, 900);
        QCOMPARE(github.intervalSeconds, 5);
        QCOMPARE(github.verificationUri, QUrl(QStringLiteral("https://github.com/login/device")));

        DeviceAuthorization google;
        const QByteArray googleAnswer = R"({"device_code":"4/4-GMMhmHCXhWEzkobqIHGG_EnNYYsAkukHspeYUk9E8","user_code":"GQVQ-JKEC",
                                            "verification_url":"https://www.google.com/device","expires_in":1800,"interval":5})";
        QVERIFY(tokenresponse::parseDeviceAuthorization(answer(200, googleAnswer), {}, &google).isNull());
        QCOMPARE(google.verificationUri, QUrl(QStringLiteral("https://www.google.com/device")));

        DeviceAuthorization broken;
        const OAuthError error = tokenresponse::parseDeviceAuthorization(answer(200, R"({"user_code":"X"})"), {}, &broken);
        QCOMPARE(error.error, QStringLiteral("invalid_response"));
    }
};

QTEST_APPLESS_MAIN(TestTokenResponse)
#include "tst_tokenresponse.moc"
