// A manual HTTP proxy (a raw server in the test that answers with the request
// head it received): the request goes through it, the hop says so, and the
// recorded headers are still exactly those sent. With the proxy inherited
// from the application, the hop names the proxy the URL actually took.
#include "exchangesender.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace portolan::http;

class TestProxy : public QObject {
    Q_OBJECT
private:
    // Answers every request with the request head it received, as a proxy or a server.
    static void echoHeads(QTcpServer &server)
    {
        connect(&server, &QTcpServer::newConnection, &server, [&server] {
            QTcpSocket *socket = server.nextPendingConnection();  // owned by the server
            auto head = std::make_shared<QByteArray>();
            connect(socket, &QTcpSocket::readyRead, socket, [socket, head] {
                *head += socket->readAll();
                if (!head->contains("\r\n\r\n"))
                    return;
                const QByteArray body = head->left(head->indexOf("\r\n\r\n"));
                head->clear();
                socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + QByteArray::number(body.size())
                              + "\r\n\r\n" + body);
            });
        });
    }

    static QByteArray requestLine(const Exchange &exchange)
    {
        return exchange.finalHop().response.body.read().split('\n').first().trimmed();
    }

private Q_SLOTS:
    void manualHttpProxyCarriesTheRequest()
    {
        QTcpServer proxy;
        echoHeads(proxy);
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

    // The application's proxy, inherited: a remote URL goes through it and the
    // hop names it; Qt sends loopback URLs direct, and the hop says so.
    void inheritedProxyIsTheOneTheUrlTook()
    {
        QTcpServer proxy;
        echoHeads(proxy);
        QVERIFY(proxy.listen(QHostAddress::LocalHost, 0));
        QNetworkProxy::setApplicationProxy(QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), proxy.serverPort()));
        const auto restore = qScopeGuard([] { QNetworkProxy::setApplicationProxy(QNetworkProxy(QNetworkProxy::NoProxy)); });

        QNetworkAccessManager network;
        ExchangeSender sender(&network);
        QSignalSpy finished(&sender, &ExchangeSender::finished);
        HttpRequest request;
        request.url = QUrl(QStringLiteral("http://api.example.invalid/v1/items"));
        QVERIFY(sender.send(request));
        QVERIFY(finished.wait(10'000));
        QVERIFY2(sender.exchange().error == TransportError::None, qPrintable(sender.exchange().errorMessage));
        QCOMPARE(requestLine(sender.exchange()), QByteArray("GET http://api.example.invalid/v1/items HTTP/1.1"));
        QCOMPARE(sender.exchange().finalHop().proxy, QStringLiteral("http://127.0.0.1:%1").arg(proxy.serverPort()));

        request.url = QUrl(QStringLiteral("http://127.0.0.1:%1/direct").arg(proxy.serverPort()));
        QVERIFY(sender.send(request));
        QVERIFY(finished.wait(10'000));
        QVERIFY2(sender.exchange().error == TransportError::None, qPrintable(sender.exchange().errorMessage));
        QCOMPARE(requestLine(sender.exchange()), QByteArray("GET /direct HTTP/1.1"));
        QCOMPARE(sender.exchange().finalHop().proxy, QStringLiteral("direct"));
    }
};

QTEST_GUILESS_MAIN(TestProxy)
#include "tst_proxy.moc"
