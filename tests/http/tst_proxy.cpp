// A manual HTTP proxy (a raw server in the test that answers with the request
// head it received): the request goes through it, the hop says so, and the
// recorded headers are still exactly those sent.
#include "exchangesender.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace portolan::http;

class TestProxy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void manualHttpProxyCarriesTheRequest()
    {
        QTcpServer proxy;
        QByteArray head;
        connect(&proxy, &QTcpServer::newConnection, this, [&] {
            QTcpSocket *socket = proxy.nextPendingConnection();  // owned by the server
            connect(socket, &QTcpSocket::readyRead, socket, [socket, &head] {
                head += socket->readAll();
                if (!head.contains("\r\n\r\n"))
                    return;
                const QByteArray body = head.left(head.indexOf("\r\n\r\n"));
                socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + QByteArray::number(body.size())
                              + "\r\n\r\n" + body);
            });
        });
        QVERIFY(proxy.listen(QHostAddress::LocalHost, 0));

        QNetworkAccessManager network;
        ExchangeSender sender(&network);
        QSignalSpy finished(&sender, &ExchangeSender::finished);
        HttpRequest request;
        request.url = QUrl(QStringLiteral("http://api.example.invalid/v1/items?x=1"));
        request.headers = {{"X-Trace", "7"}};
        SendOptions options;
        options.proxy.mode = ProxyChoice::Mode::Manual;
        options.proxy.manual = QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), proxy.serverPort());
        QVERIFY(sender.send(request, options));
        QVERIFY(finished.wait(10'000));
        const Exchange &exchange = sender.exchange();
        QVERIFY2(exchange.error == TransportError::None, qPrintable(exchange.errorMessage));
        QCOMPARE(exchange.finalHop().proxy, QStringLiteral("http://127.0.0.1:%1").arg(proxy.serverPort()));

        const QList<QByteArray> lines = exchange.finalHop().response.body.read().split('\n');
        QCOMPARE(lines.first().trimmed(), QByteArray("GET http://api.example.invalid/v1/items?x=1 HTTP/1.1"));
        QMap<QByteArray, QByteArray> received, recorded;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            received.insert(line.left(line.indexOf(':')).toLower(), line.mid(line.indexOf(':') + 1).trimmed());
        }
        for (const HeaderField &h : exchange.finalHop().request.headers)
            recorded.insert(h.name.toLower(), h.value);
        QCOMPARE(recorded, received);

        // Back to a direct connection: the same manager no longer uses the proxy.
        options.proxy.mode = ProxyChoice::Mode::Direct;
        request.url = QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(proxy.serverPort()));
        QVERIFY(sender.send(request, options));
        QVERIFY(finished.wait(10'000));
        QCOMPARE(sender.exchange().finalHop().proxy, QStringLiteral("direct"));
    }
};

QTEST_GUILESS_MAIN(TestProxy)
#include "tst_proxy.moc"
