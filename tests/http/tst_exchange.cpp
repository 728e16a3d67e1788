// Sends real requests to Debian's httpbin on loopback and checks that what
// Portolan records is what the server received and answered.
#include "exchangesender.h"
#include "httpbin.h"
#include "recordingserver.h"
#include "requestauthenticator.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkCookieJar>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace portolan::http;
using portolan::test::HttpBin;
using portolan::test::RecordingServer;

namespace {

QJsonObject jsonBody(const Exchange &exchange)
{
    return QJsonDocument::fromJson(exchange.finalHop().response.body.read()).object();
}

// Answers httpbin's digest challenge (RFC 7616, MD5, qop=auth) on 401:
// proves the retry-on-401 path of the authenticator interface end to end.
class DigestForTest : public RequestAuthenticator {
public:
    QString user, password;
    int challenges = 0;
    void authenticate(const HttpRequest &request, std::function<void(AuthenticationResult)> done) override
    {
        done({true, {}, request, {}});
    }
    void onUnauthorized(const HttpRequest &, const SentRequest &sent, const ReceivedResponse &response,
                        std::function<void(std::optional<AuthenticationResult>)> done) override
    {
        ++challenges;
        const QString challenge = QString::fromLatin1(headerValue(response.headers, "WWW-Authenticate"));
        auto param = [&](const QString &name) {
            const QRegularExpression re(name + QStringLiteral(R"re(="([^"]*)")re"));
            return re.match(challenge).captured(1);
        };
        const QByteArray realm = param(QStringLiteral("realm")).toUtf8(), nonce = param(QStringLiteral("nonce")).toUtf8(),
                         opaque = param(QStringLiteral("opaque")).toUtf8();
        const QByteArray uri = sent.url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority);
        auto md5 = [](const QByteArray &s) { return QCryptographicHash::hash(s, QCryptographicHash::Md5).toHex(); };
        const QByteArray ha1 = md5(user.toUtf8() + ':' + realm + ':' + password.toUtf8());
        const QByteArray ha2 = md5(sent.method + ':' + uri);
        const QByteArray cnonce = "0a4f113b", nc = "00000001";
        const QByteArray digest = md5(ha1 + ':' + nonce + ':' + nc + ':' + cnonce + ":auth:" + ha2);
        HttpRequest retry;
        retry.method = sent.method;
        retry.url = sent.url;
        retry.headers.append(HeaderField{"Authorization", "Digest username=\"" + user.toUtf8() + "\", realm=\"" + realm + "\", nonce=\""
                                                  + nonce + "\", uri=\"" + uri + "\", qop=auth, nc=" + nc + ", cnonce=\""
                                                  + cnonce + "\", response=\"" + digest + "\", opaque=\"" + opaque + "\""});
        done(AuthenticationResult{true, {}, retry, {{SecretUse::Location::Header, "Authorization", QStringLiteral("digest-test"), {}, {}}}});
    }
};

} // namespace

class TestExchange : public QObject {
    Q_OBJECT
private:
    HttpBin m_httpbin;
    QNetworkAccessManager m_network;

    Exchange send(const HttpRequest &request, QNetworkCookieJar *jar = nullptr, RequestAuthenticator *auth = nullptr,
                  const SendOptions &options = SendOptions())
    {
        ExchangeSender sender(&m_network);
        sender.setCookieJar(jar);
        sender.setAuthenticator(auth);
        QSignalSpy finished(&sender, &ExchangeSender::finished);
        if (!sender.send(request, options))
            return {};
        if (!finished.wait(20'000))
            qWarning("no finished signal");
        return sender.exchange();
    }
    HttpRequest get(const QString &pathAndQuery)
    {
        HttpRequest r;
        r.url = m_httpbin.url(pathAndQuery);
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_httpbin.start(), qPrintable(m_httpbin.error()));
    }

    // The core promise: the headers Portolan shows are those the server got.
    void headersAsSentEqualWhatTheServerReceived_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("GET") << QByteArray("GET") << QByteArray();
        QTest::newRow("POST json") << QByteArray("POST") << QByteArray(R"({"a":[1,2]})");
        QTest::newRow("PUT empty") << QByteArray("PUT") << QByteArray();
        QTest::newRow("DELETE") << QByteArray("DELETE") << QByteArray();
    }
    void headersAsSentEqualWhatTheServerReceived()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, body);
        QNetworkCookieJar jar;
        jar.setCookiesFromUrl({QNetworkCookie("session", "abc123")}, m_httpbin.baseUrl());
        HttpRequest request = get(QStringLiteral("/anything/x?q=a%20b&list=1&list=2"));
        request.method = method;
        request.headers = {{"X-Trace", "t-1"}, {"Cookie", "pref=dark"}};
        if (!body.isEmpty()) {
            request.headers.append(HeaderField{"Content-Type", "application/json"});
            request.body = RequestBodyData::fromBytes(body);
        }
        const Exchange exchange = send(request, &jar);
        QVERIFY2(exchange.error == TransportError::None, qPrintable(exchange.errorMessage));
        QCOMPARE(exchange.hops.size(), 1);
        const QJsonObject echo = jsonBody(exchange);
        QCOMPARE(echo.value(QStringLiteral("method")).toString().toUtf8(), method);
        QCOMPARE(echo.value(QStringLiteral("data")).toString().toUtf8(), body);

        QMap<QString, QString> received;
        const QJsonObject headers = echo.value(QStringLiteral("headers")).toObject();
        for (auto it = headers.begin(); it != headers.end(); ++it)
            received.insert(it.key().toLower(), it.value().toString());
        QMap<QString, QString> recorded;
        for (const HeaderField &h : exchange.finalHop().request.headers)
            recorded.insert(QString::fromLatin1(h.name).toLower(), QString::fromLatin1(h.value));
        QCOMPARE(recorded, received);
        QCOMPARE(recorded.value(QStringLiteral("cookie")), QStringLiteral("pref=dark; session=abc123"));
        QVERIFY(recorded.contains(QStringLiteral("user-agent")));
        QVERIFY(recorded.contains(QStringLiteral("accept-encoding")));
    }

    void responseIsRecorded()
    {
        const Exchange exchange = send(get(QStringLiteral("/response-headers?X-One=1&X-Two=2")));
        QVERIFY2(exchange.hasResponse(), qPrintable(exchange.errorMessage));
        const ReceivedResponse &response = exchange.finalHop().response;
        QCOMPARE(response.status, 200);
        QCOMPARE(response.reason, QByteArray("OK"));
        QCOMPARE(response.httpVersion, QByteArray("HTTP/1.x"));
        QCOMPARE(exchange.finalHop().request.httpVersion, QByteArray("HTTP/1.1"));
        QCOMPARE(headerValue(response.headers, "X-One"), QByteArray("1"));
        QCOMPARE(headerValue(response.headers, "X-Two"), QByteArray("2"));
        QCOMPARE(response.remoteAddress, QStringLiteral("127.0.0.1"));
        QCOMPARE(response.body.decodedSize, response.body.read().size());
        QCOMPARE(QByteArray::number(response.body.wireSize), headerValue(response.headers, "Content-Length"));
        const Timings &t = exchange.finalHop().timings;
        QVERIFY(t.totalUs > 0);
        QVERIFY(t.durationUs(QStringLiteral("wait (time to first byte)")) >= 0);
        QVERIFY(t.durationUs(QStringLiteral("download")) >= 0);
        qint64 sum = 0;
        for (const TimingPhase &p : t.phases)
            sum += p.durationUs;
        QVERIFY(sum <= t.totalUs);
    }

    void statusCodesAreAnswersNotFailures_data()
    {
        QTest::addColumn<int>("status");
        for (int s : {201, 204, 400, 404, 418, 500, 503})
            QTest::newRow(qPrintable(QString::number(s))) << s;
    }
    void statusCodesAreAnswersNotFailures()
    {
        QFETCH(int, status);
        const Exchange exchange = send(get(QStringLiteral("/status/%1").arg(status)));
        QCOMPARE(exchange.error, TransportError::None);
        QCOMPARE(exchange.finalHop().response.status, status);
        QVERIFY(!exchange.finalHop().response.reason.isEmpty());
    }

    void gzipAndDeflateAreDecoded_data()
    {
        QTest::addColumn<QString>("coding");
        QTest::newRow("gzip") << QStringLiteral("gzip");
        QTest::newRow("deflate") << QStringLiteral("deflate");
    }
    void gzipAndDeflateAreDecoded()
    {
        QFETCH(QString, coding);
        const Exchange exchange = send(get(QLatin1Char('/') + coding));
        QVERIFY2(exchange.error == TransportError::None, qPrintable(exchange.errorMessage));
        const ReceivedResponse &response = exchange.finalHop().response;
        QCOMPARE(response.contentEncoding, coding);
        const QJsonObject echo = QJsonDocument::fromJson(response.body.read()).object();
        QVERIFY(echo.value(coding == QLatin1String("gzip") ? QStringLiteral("gzipped") : QStringLiteral("deflated")).toBool());
        QCOMPARE(QByteArray::number(response.body.wireSize), headerValue(response.headers, "Content-Length"));
        QVERIFY(response.body.decodedSize > response.body.wireSize);
    }

    // 64 KB of deflate that decodes to 64 MiB: with the default bounds decoding
    // stops once the body is past 16 MiB and expands over 200 times; the
    // exchange says why and keeps what was decoded.
    void decompressionBombIsStopped()
    {
        RecordingServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const QByteArray zlib = qCompress(QByteArray(64 << 20, '\0'), 9).mid(4);  // without qCompress' length prefix
        QVERIFY(zlib.size() < 128 * 1024);
        server.respond("/bomb", {200, {{"Content-Encoding", "deflate"}}, zlib});
        HttpRequest request;
        request.url = server.url(QStringLiteral("/bomb"));
        const Exchange exchange = send(request);
        QCOMPARE(exchange.error, TransportError::ResponseTooLarge);
        QVERIFY2(exchange.errorMessage.contains(QLatin1String("decompression bomb")), qPrintable(exchange.errorMessage));
        QVERIFY(exchange.hasResponse());
        const ResponseBody &body = exchange.finalHop().response.body;
        QVERIFY2(body.decodedSize > 16 << 20 && body.decodedSize < 20 << 20, qPrintable(QString::number(body.decodedSize)));
        QCOMPARE(body.read(1024), QByteArray(1024, '\0'));
    }

    // The decoded size is bounded by a setting whatever the ratio.
    void decodedSizeLimitIsASetting()
    {
        RecordingServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        QByteArray text;
        for (int i = 0; text.size() < 4 << 20; ++i)
            text += "line " + QByteArray::number(i) + '\n';
        server.respond("/large", {200, {{"Content-Encoding", "deflate"}}, qCompress(text, 9).mid(4)});
        HttpRequest request;
        request.url = server.url(QStringLiteral("/large"));
        SendOptions options;
        options.decodeLimits.maxDecodedBytes = 1 << 20;
        const Exchange exchange = send(request, nullptr, nullptr, options);
        QCOMPARE(exchange.error, TransportError::ResponseTooLarge);
        QVERIFY2(exchange.errorMessage.contains(QLatin1String("1.0 MB")), qPrintable(exchange.errorMessage));
        QCOMPARE(exchange.finalHop().response.body.read(), text.left(1 << 20));  // exactly the first MiB

        options.decodeLimits.maxDecodedBytes = 8 << 20;  // within the bound: all of it
        QCOMPARE(send(request, nullptr, nullptr, options).finalHop().response.body.read(), text);
    }

    void chunkedBodyIsReadWhole()
    {
        const Exchange exchange = send(get(QStringLiteral("/stream/7")));
        QVERIFY2(exchange.error == TransportError::None, qPrintable(exchange.errorMessage));
        const ReceivedResponse &response = exchange.finalHop().response;
        QVERIFY(!hasHeader(response.headers, "Content-Length"));
        QCOMPARE(headerValue(response.headers, "Transfer-Encoding").toLower(), QByteArray("chunked"));
        const QList<QByteArray> lines = response.body.read().trimmed().split('\n');
        QCOMPARE(lines.size(), 7);
        QCOMPARE(QJsonDocument::fromJson(lines.last()).object().value(QStringLiteral("id")).toInt(), 6);
    }

    // RFC 9110: 303 → GET; 301/302 after POST → GET; 307/308 keep method and body.
    void redirectMethodRules_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("finalMethod");
        QTest::addColumn<bool>("bodyKept");
        QTest::newRow("301") << 301 << "GET" << false;
        QTest::newRow("302") << 302 << "GET" << false;
        QTest::newRow("303") << 303 << "GET" << false;
        QTest::newRow("307") << 307 << "POST" << true;
        QTest::newRow("308") << 308 << "POST" << true;
    }
    void redirectMethodRules()
    {
        QFETCH(int, status);
        QFETCH(QString, finalMethod);
        QFETCH(bool, bodyKept);
        HttpRequest request = get(QStringLiteral("/redirect-to?url=%2Fanything%2Fdone&status_code=%1").arg(status));
        request.method = "POST";
        request.headers = {{"Content-Type", "text/plain"}};
        request.body = RequestBodyData::fromBytes("payload-123");
        const Exchange exchange = send(request);
        QVERIFY2(exchange.error == TransportError::None, qPrintable(exchange.errorMessage));
        QCOMPARE(exchange.hops.size(), 2);
        const Hop &first = exchange.hops.first();
        QCOMPARE(first.response.status, status);
        QCOMPARE(headerValue(first.response.headers, "Location"), QByteArray("/anything/done"));
        QCOMPARE(first.request.method, QByteArray("POST"));
        const Hop &last = exchange.finalHop();
        QCOMPARE(last.request.url.path(), QStringLiteral("/anything/done"));
        QCOMPARE(QString::fromLatin1(last.request.method), finalMethod);
        const QJsonObject echo = jsonBody(exchange);
        QCOMPARE(echo.value(QStringLiteral("method")).toString(), finalMethod);
        QCOMPARE(echo.value(QStringLiteral("data")).toString(), bodyKept ? QStringLiteral("payload-123") : QString());
        QCOMPARE(hasHeader(last.request.headers, "Content-Type"), bodyKept);
    }

    void relativeAndAbsoluteRedirectChains_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("relative") << QStringLiteral("/relative-redirect/3");
        QTest::newRow("absolute") << QStringLiteral("/absolute-redirect/3");
    }
    void relativeAndAbsoluteRedirectChains()
    {
        QFETCH(QString, path);
        const Exchange exchange = send(get(path));
        QVERIFY2(exchange.error == TransportError::None, qPrintable(exchange.errorMessage));
        QCOMPARE(exchange.hops.size(), 4);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(exchange.hops[i].response.status, 302);
            QVERIFY(hasHeader(exchange.hops[i].response.headers, "Location"));
            QCOMPARE(exchange.hops[i + 1].request.url,
                     exchange.hops[i].request.url.resolved(QUrl::fromEncoded(headerValue(exchange.hops[i].response.headers, "Location"))));
        }
        QCOMPARE(exchange.finalHop().response.status, 200);
        QCOMPARE(exchange.finalHop().request.url.path(), QStringLiteral("/get"));
    }

    void redirectLimitIsEnforced()
    {
        SendOptions options;
        options.maxRedirects = 2;
        const Exchange exchange = send(get(QStringLiteral("/redirect/5")), nullptr, nullptr, options);
        QCOMPARE(exchange.error, TransportError::TooManyRedirects);
        QCOMPARE(exchange.hops.size(), 3);
        QVERIFY(exchange.errorMessage.contains(QLatin1String("2 redirects")));
    }

    void cookiesSetByServerAreKeptAndSent()
    {
        QNetworkCookieJar jar;
        const Exchange setting = send(get(QStringLiteral("/cookies/set?flavour=oat&n=2")), &jar);
        QVERIFY2(setting.error == TransportError::None, qPrintable(setting.errorMessage));
        QCOMPARE(setting.hops.size(), 2);  // the Set-Cookie response redirects to /cookies
        QVERIFY(headerValues(setting.hops.first().response.headers, "Set-Cookie").size() == 2);
        const QByteArray sentOnRedirect = headerValue(setting.finalHop().request.headers, "Cookie");
        QVERIFY2(sentOnRedirect.contains("flavour=oat") && sentOnRedirect.contains("n=2"), sentOnRedirect.constData());
        const QJsonObject cookies = jsonBody(setting).value(QStringLiteral("cookies")).toObject();
        QCOMPARE(cookies.value(QStringLiteral("flavour")).toString(), QStringLiteral("oat"));
        QCOMPARE(cookies.value(QStringLiteral("n")).toString(), QStringLiteral("2"));
    }

    void basicAuthHeader()
    {
        HttpRequest request = get(QStringLiteral("/basic-auth/alice/s3cret"));
        request.headers = {{"Authorization", "Basic " + QByteArray("alice:s3cret").toBase64()}};
        QCOMPARE(send(request).finalHop().response.status, 200);
        request.headers = {{"Authorization", "Basic " + QByteArray("alice:wrong").toBase64()}};
        QCOMPARE(send(request).finalHop().response.status, 401);
    }

    void digestChallengeIsAnsweredOnce()
    {
        DigestForTest digest;
        digest.user = QStringLiteral("bob");
        digest.password = QStringLiteral("pw");
        QNetworkCookieJar jar;  // httpbin's digest endpoint wants its cookie back
        const Exchange exchange = send(get(QStringLiteral("/digest-auth/auth/bob/pw")), &jar, &digest);
        QVERIFY2(exchange.error == TransportError::None, qPrintable(exchange.errorMessage));
        QCOMPARE(digest.challenges, 1);
        QCOMPARE(exchange.hops.size(), 2);
        QCOMPARE(exchange.hops.first().response.status, 401);
        QCOMPARE(exchange.finalHop().response.status, 200);
        QCOMPARE(jsonBody(exchange).value(QStringLiteral("user")).toString(), QStringLiteral("bob"));
        QCOMPARE(exchange.secrets.size(), 1);

        digest.password = QStringLiteral("wrong");
        const Exchange refused = send(get(QStringLiteral("/digest-auth/auth/bob/pw")), &jar, &digest);
        QCOMPARE(refused.finalHop().response.status, 401);  // retried once, not forever
        QCOMPARE(refused.hops.size(), 2);
    }

    void cancelStopsTheExchange()
    {
        ExchangeSender sender(&m_network);
        QSignalSpy finished(&sender, &ExchangeSender::finished);
        QVERIFY(sender.send(get(QStringLiteral("/delay/5"))));
        QTimer::singleShot(200, &sender, &ExchangeSender::cancel);
        QVERIFY(finished.wait(3000));
        QCOMPARE(sender.exchange().error, TransportError::Cancelled);
        QVERIFY(!sender.isRunning());
    }

    void invalidUrlIsRefusedClearly()
    {
        HttpRequest request;
        request.url = QUrl(QStringLiteral("ftp://example.com/x"));
        const Exchange exchange = send(request);
        QCOMPARE(exchange.error, TransportError::InvalidRequest);
        QVERIFY(exchange.errorMessage.contains(QLatin1String("ftp://example.com/x")));
    }
};

QTEST_GUILESS_MAIN(TestExchange)
#include "tst_exchange.moc"
