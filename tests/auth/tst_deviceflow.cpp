// RFC 8628 §3.5 polling rules that oidc-provider cannot be made to show on
// demand: a scripted authorization server in this test answers the device
// flow's polls with authorization_pending, then slow_down, then tokens, and
// the test measures the client's intervals between polls.
#include "deviceflow.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

using namespace portolan::auth;

namespace {

// A loopback HTTP/1.1 server answering POSTs from a script: /device once, then
// each /token poll with the next canned answer. Records when each poll came.
class ScriptedAuthorizationServer : public QObject {
public:
    struct Answer {
        int status;
        QJsonObject body;
    };
    QJsonObject deviceAnswer;
    QList<Answer> tokenAnswers;
    QList<qint64> pollTimesMs;  // since the device authorization request
    QList<QUrlQuery> pollBodies;

    ScriptedAuthorizationServer()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
            }
        });
        m_server.listen(QHostAddress::LocalHost);
    }
    QUrl url(const QString &path) const { return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path)); }

private:
    void read(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        const QByteArray head = buffer.left(headerEnd);
        qsizetype length = 0;
        for (const QByteArray &line : head.split('\n')) {
            if (line.toLower().startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
        }
        if (buffer.size() < headerEnd + 4 + length)
            return;
        const QByteArray body = buffer.mid(headerEnd + 4, length);
        const QByteArray path = head.split(' ').value(1);
        m_buffers.remove(socket);

        Answer answer{404, {{QStringLiteral("error"), QStringLiteral("not_found")}}};
        if (path == "/device") {
            m_clock.start();
            answer = {200, deviceAnswer};
        } else if (path == "/token" && !tokenAnswers.isEmpty()) {
            pollTimesMs.append(m_clock.elapsed());
            pollBodies.append(QUrlQuery(QString::fromUtf8(body)));
            answer = tokenAnswers.takeFirst();
        }
        const QByteArray json = QJsonDocument(answer.body).toJson(QJsonDocument::Compact);
        socket->write("HTTP/1.1 " + QByteArray::number(answer.status) + (answer.status == 200 ? " OK" : " Bad Request")
                      + "\r\nContent-Type: application/json\r\nCache-Control: no-store\r\nContent-Length: "
                      + QByteArray::number(json.size()) + "\r\n\r\n" + json);
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QElapsedTimer m_clock;
};

QJsonObject error(const char *code)
{
    return {{QStringLiteral("error"), QLatin1String(code)}};
}

} // namespace

class TestDeviceFlow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<TokenResult>(); }

    void slowDownAddsFiveSeconds()
    {
        ScriptedAuthorizationServer server;
        server.deviceAnswer = {{QStringLiteral("device_code"), QStringLiteral("device-code-1")},
                               {QStringLiteral("user_code"), QStringLiteral("WDJB-MJHT")},
                               {QStringLiteral("verification_uri"), server.url(QStringLiteral("/verify")).toString()},
                               {QStringLiteral("expires_in"), 60},
                               {QStringLiteral("interval"), 1}};
        server.tokenAnswers = {{400, error("authorization_pending")},
                               {400, error("slow_down")},
                               {200, {{QStringLiteral("access_token"), QStringLiteral("at-1")},
                                      {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                                      {QStringLiteral("expires_in"), 300}}}};

        QNetworkAccessManager network;
        TokenClient client(&network);
        DeviceFlow flow(&client);
        QSignalSpy userCode(&flow, &DeviceFlow::userCodeReady);
        QSignalSpy finished(&flow, &DeviceFlow::finished);
        ClientConfig config;
        config.clientId = QStringLiteral("device-client");
        config.authMethod = ClientAuthMethod::None;
        flow.start(server.url(QStringLiteral("/device")), server.url(QStringLiteral("/token")), config, {QStringLiteral("openid")});
        QVERIFY(finished.wait(20'000));
        QCOMPARE(userCode.size(), 1);
        const TokenResult result = finished.first().first().value<TokenResult>();
        QVERIFY2(result.ok, qPrintable(result.error.text()));
        QCOMPARE(result.tokens.accessToken, QByteArray("at-1"));

        // Polls at about 1 s (interval), 2 s (pending keeps it), then 2 + 6 s (slow_down: +5 s, RFC 8628 §3.5).
        const QList<qint64> t = server.pollTimesMs;
        QCOMPARE(t.size(), 3);
        qInfo("polls at %lld, %lld, %lld ms", t[0], t[1], t[2]);
        // Never early (a few ms allowed for rounding of the two clocks' readings).
        QVERIFY2(t[0] >= 995 && t[1] - t[0] >= 995 && t[1] - t[0] < 3000, "authorization_pending keeps the interval");
        QVERIFY2(t[2] - t[1] >= 5995, "slow_down must add 5 seconds to the interval");
        QVERIFY2(t[2] - t[1] < 9000, "the poll after slow_down came far too late");
        for (const QUrlQuery &poll : server.pollBodies) {
            QCOMPARE(poll.queryItemValue(QStringLiteral("grant_type"), QUrl::FullyDecoded),
                     QStringLiteral("urn:ietf:params:oauth:grant-type:device_code"));
            QCOMPARE(poll.queryItemValue(QStringLiteral("device_code")), QStringLiteral("device-code-1"));
        }
    }
};

QTEST_GUILESS_MAIN(TestDeviceFlow)
#include "tst_deviceflow.moc"
