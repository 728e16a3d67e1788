// Transport failures against real sockets on loopback: each ends the exchange
// with a clear error, and the engine keeps working afterwards.
#include "exchangesender.h"
#include "closedport.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace portolan::http;

namespace {

// A raw HTTP server whose behaviour each test picks.
class RawServer : public QObject {
public:
    enum class Mode { Answer, ResetMidBody, NeverAnswer };
    Mode mode = Mode::Answer;
    QList<QTcpSocket *> held;  // owned by m_server (children of it)

    bool listen()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                held.append(socket);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onRequest(socket); });
            }
        });
        return m_server.listen(QHostAddress::LocalHost, 0);
    }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1/x").arg(m_server.serverPort())); }

private:
    void onRequest(QTcpSocket *socket)
    {
        m_buffer += socket->readAll();
        if (!m_buffer.contains("\r\n\r\n"))
            return;
        m_buffer.clear();
        switch (mode) {
        case Mode::Answer:
            socket->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok");
            break;
        case Mode::ResetMidBody:
            socket->write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + QByteArray(1000, 'x'));
            socket->flush();
            QTimer::singleShot(100, socket, [socket] { socket->abort(); });
            break;
        case Mode::NeverAnswer:
            break;
        }
    }
    QTcpServer m_server;
    QByteArray m_buffer;
};

} // namespace

class TestFaults : public QObject {
    Q_OBJECT
private:
    QNetworkAccessManager m_network;

    Exchange send(const QUrl &url, int timeoutMs = 10'000)
    {
        ExchangeSender sender(&m_network);
        QSignalSpy finished(&sender, &ExchangeSender::finished);
        HttpRequest request;
        request.url = url;
        SendOptions options;
        options.timeoutMs = timeoutMs;
        sender.send(request, options);
        if (!finished.wait(30'000))
            qWarning("no finished signal");
        return sender.exchange();
    }

private Q_SLOTS:
    void connectionRefused()
    {
        const portolan::test::ClosedPort closedPort;
        const quint16 port = closedPort.port();
        QVERIFY(port != 0);
        const Exchange exchange = send(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(port)));
        QCOMPARE(exchange.error, TransportError::ConnectionRefused);
        QVERIFY2(exchange.errorMessage.contains(QStringLiteral("127.0.0.1:%1").arg(port)), qPrintable(exchange.errorMessage));
        QVERIFY(!exchange.hasResponse());
        QCOMPARE(exchange.hops.size(), 1);  // the attempt is recorded with what would have been sent
        QVERIFY(hasHeader(exchange.hops.first().request.headers, "Host"));
    }

    void resetInTheMiddleOfTheBody()
    {
        RawServer server;
        server.mode = RawServer::Mode::ResetMidBody;
        QVERIFY(server.listen());
        const Exchange exchange = send(server.url());
        QCOMPARE(exchange.error, TransportError::ConnectionClosed);
        QVERIFY(exchange.hasResponse());
        QCOMPARE(exchange.finalHop().response.status, 200);
        QCOMPARE(exchange.finalHop().response.body.wireSize, 1000);
        QVERIFY2(exchange.errorMessage.contains(QLatin1String("incomplete")), qPrintable(exchange.errorMessage));
    }

    void serverThatNeverAnswersTimesOut()
    {
        RawServer server;
        server.mode = RawServer::Mode::NeverAnswer;
        QVERIFY(server.listen());
        QElapsedTimer clock;
        clock.start();
        const Exchange exchange = send(server.url(), 700);
        QCOMPARE(exchange.error, TransportError::Timeout);
        QVERIFY2(clock.elapsed() < 5000, "the timeout must end the exchange promptly");
        QVERIFY2(exchange.errorMessage.contains(QLatin1String("timed out")), qPrintable(exchange.errorMessage));
    }

    void dnsFailure()
    {
        const Exchange exchange = send(QUrl(QStringLiteral("http://nonexistent.invalid/")));
        QCOMPARE(exchange.error, TransportError::HostNotFound);
        QVERIFY2(exchange.errorMessage.contains(QLatin1String("nonexistent.invalid")), qPrintable(exchange.errorMessage));
    }

    // After every failure above, the same engine still sends normally.
    void engineUnharmedAfterFaults()
    {
        RawServer server;
        QVERIFY(server.listen());
        const Exchange exchange = send(server.url());
        QCOMPARE(exchange.error, TransportError::None);
        QCOMPARE(exchange.finalHop().response.body.read(), QByteArray("ok"));
    }
};

QTEST_GUILESS_MAIN(TestFaults)
#include "tst_faults.moc"
