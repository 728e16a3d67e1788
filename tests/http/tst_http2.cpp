// HTTP/2 against Node's http2 server over TLS (ALPN): the hop says HTTP/2 and
// the recorded request headers are exactly those the server received.
#include "exchangesender.h"
#include "serviceprocess.h"
#include "tlsserver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace portolan::http;
using portolan::test::TestCertificates;

namespace {
// Answers every stream with the headers it received, in order, and the body.
const char kServer[] = R"(
const http2 = require('http2');
const fs = require('fs');
const server = http2.createSecureServer({key: fs.readFileSync(process.argv[2]), cert: fs.readFileSync(process.argv[3])});
server.on('stream', (stream, headers, flags, rawHeaders) => {
  const chunks = [];
  stream.on('data', (c) => chunks.push(c));
  stream.on('end', () => {
    stream.respond({':status': 200, 'content-type': 'application/json', 'x-served-by': 'node-h2'});
    stream.end(JSON.stringify({rawHeaders, body: Buffer.concat(chunks).toString()}));
  });
});
server.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
)";
} // namespace

class TestHttp2 : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    TestCertificates m_certificates;
    portolan::test::ServiceProcess m_server;

private Q_SLOTS:
    void initTestCase()
    {
        const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
        QVERIFY2(!node.isEmpty(), "node is not installed (packaging/install-deps.sh installs it)");
        QString error;
        QVERIFY2(m_certificates.generate(m_dir.path(), &error), qPrintable(error));
        QFile script(m_dir.filePath(QStringLiteral("h2server.js")));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write(kServer);
        script.close();
        QVERIFY2(m_server.start(node, {script.fileName(), m_certificates.serverKey, m_certificates.serverCertificate},
                                QRegularExpression(QStringLiteral(R"(listening (\d+))"))),
                 qPrintable(m_server.output()));
    }

    void headersAsSentOverHttp2_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("GET") << QByteArray("GET") << QByteArray();
        QTest::newRow("POST") << QByteArray("POST") << QByteArray(R"({"h2":true})");
    }
    void headersAsSentOverHttp2()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, body);
        QNetworkAccessManager network;
        ExchangeSender sender(&network);
        QSignalSpy finished(&sender, &ExchangeSender::finished);
        HttpRequest request;
        request.method = method;
        request.url = QUrl(QStringLiteral("https://127.0.0.1:%1/h2/path?q=1").arg(m_server.port()));
        request.headers = {{"X-Trace", "h2-test"}};
        if (!body.isEmpty()) {
            request.headers.append(HeaderField{"Content-Type", "application/json"});
            request.body = RequestBodyData::fromBytes(body);
        }
        SendOptions options;
        options.tls.extraCaCertificates = {TestCertificates::certificate(m_certificates.caCertificate)};
        QVERIFY(sender.send(request, options));
        QVERIFY(finished.wait(15'000));
        const Exchange &exchange = sender.exchange();
        QVERIFY2(exchange.error == TransportError::None, qPrintable(exchange.errorMessage));
        const Hop &hop = exchange.finalHop();
        QCOMPARE(hop.request.httpVersion, QByteArray("HTTP/2"));
        QCOMPARE(hop.response.httpVersion, QByteArray("HTTP/2"));
        QCOMPARE(headerValue(hop.response.headers, "x-served-by"), QByteArray("node-h2"));

        const QJsonObject echo = QJsonDocument::fromJson(hop.response.body.read()).object();
        QCOMPARE(echo.value(QStringLiteral("body")).toString().toUtf8(), body);
        const QJsonArray raw = echo.value(QStringLiteral("rawHeaders")).toArray();
        QMultiMap<QByteArray, QByteArray> received, recorded;
        for (qsizetype i = 0; i + 1 < raw.size(); i += 2)
            received.insert(raw[i].toString().toUtf8(), raw[i + 1].toString().toUtf8());
        for (const HeaderField &h : hop.request.headers)
            recorded.insert(h.name, h.value);
        QCOMPARE(recorded, received);
        QCOMPARE(recorded.value(":authority"), QByteArray("127.0.0.1:") + QByteArray::number(m_server.port()));
        QCOMPARE(recorded.value(":path"), QByteArray("/h2/path?q=1"));
    }
};

QTEST_GUILESS_MAIN(TestHttp2)
#include "tst_http2.moc"
