// A 100 MB response from a separate server process (python3 http.server)
// streams to a temporary file: it is never held in memory, not even once.
#include "exchangesender.h"
#include "processmemory.h"
#include "serviceprocess.h"

#include <QCryptographicHash>
#include <QFile>
#include <QNetworkAccessManager>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>

using namespace portolan::http;

using portolan::test::peakResidentBytes;

namespace {
constexpr qint64 kBodySize = 100 * 1024 * 1024;

// Resets VmHWM to the current resident size (Linux: "5" in clear_refs), so
// each test measures its own peak.
void resetPeakResident()
{
    QFile clearRefs(QStringLiteral("/proc/self/clear_refs"));
    if (clearRefs.open(QIODevice::WriteOnly))
        clearRefs.write("5");
}
} // namespace

class TestLargeBody : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void hundredMegabytesStreamToDisk()
    {
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("big.bin")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCryptographicHash expected(QCryptographicHash::Sha256);
        QByteArray block(1024 * 1024, Qt::Uninitialized);
        for (int i = 0; i < kBodySize / block.size(); ++i) {
            for (qsizetype j = 0; j < block.size(); j += 4096)
                block[j] = char(i + j / 4096);  // every megabyte differs
            expected.addData(block);
            file.write(block);
        }
        file.close();

        portolan::test::ServiceProcess server;
        QVERIFY2(server.start(QStringLiteral("/usr/bin/python3"),
                              {QStringLiteral("-u"), QStringLiteral("-m"), QStringLiteral("http.server"), QStringLiteral("0"),
                               QStringLiteral("--bind"), QStringLiteral("127.0.0.1"), QStringLiteral("--directory"), dir.path()},
                              QRegularExpression(QStringLiteral(R"(port (\d+))"))),
                 qPrintable(server.output()));

        QNetworkAccessManager network;
        ExchangeSender sender(&network);
        QSignalSpy finished(&sender, &ExchangeSender::finished);
        QSignalSpy progress(&sender, &ExchangeSender::downloadProgress);
        HttpRequest request;
        request.url = QUrl(QStringLiteral("http://127.0.0.1:%1/big.bin").arg(server.port()));
        resetPeakResident();
        const qint64 peakBefore = peakResidentBytes();
        QVERIFY(sender.send(request));
        QVERIFY(finished.wait(120'000));
        const qint64 peakAfter = peakResidentBytes();
        const Exchange &exchange = sender.exchange();
        QVERIFY2(exchange.error == TransportError::None, qPrintable(exchange.errorMessage));
        const ResponseBody &body = exchange.finalHop().response.body;
        QCOMPARE(body.wireSize, kBodySize);
        QCOMPARE(body.decodedSize, kBodySize);
        QVERIFY(body.isInFile());
        QVERIFY(body.bytes.isEmpty());
        QVERIFY(!progress.isEmpty());  // the GUI can show progress
        QCOMPARE(progress.last().at(0).toLongLong(), kBodySize);
        QCOMPARE(progress.last().at(1).toLongLong(), kBodySize);

        QFile received(body.file->fileName());
        QVERIFY(received.open(QIODevice::ReadOnly));
        QCryptographicHash actual(QCryptographicHash::Sha256);
        QVERIFY(actual.addData(&received));
        QCOMPARE(actual.result().toHex(), expected.result().toHex());

        const qint64 growth = peakAfter - peakBefore;
        qInfo("peak resident memory grew by %.1f MB while receiving %lld MB", double(growth) / 1048576.0, kBodySize / 1048576);
        QVERIFY2(growth < kBodySize / 2, "the body must not be held in memory");
    }

    // The other way: a 100 MB file uploaded to a Node server that hashes what
    // it receives. The file is streamed from disk, never read into memory.
    void hundredMegabytesUploadFromDisk()
    {
        const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
        QVERIFY2(!node.isEmpty(), "node is not installed (packaging/install-deps.sh installs it)");
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("upload.bin")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCryptographicHash expected(QCryptographicHash::Sha256);
        QByteArray block(1024 * 1024, 'u');
        for (int i = 0; i < kBodySize / block.size(); ++i) {
            block[i] = char(i);
            expected.addData(block);
            file.write(block);
        }
        file.close();

        const char script[] = R"(
const http = require('http'); const crypto = require('crypto');
const server = http.createServer((req, res) => {
  const hash = crypto.createHash('sha256'); let bytes = 0;
  req.on('data', (c) => { hash.update(c); bytes += c.length; });
  req.on('end', () => { res.setHeader('Content-Type', 'application/json');
                        res.end(JSON.stringify({bytes, sha256: hash.digest('hex')})); });
});
server.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
)";
        portolan::test::ServiceProcess server;
        QVERIFY2(server.start(node, {QStringLiteral("-e"), QString::fromLatin1(script)},
                              QRegularExpression(QStringLiteral(R"(listening (\d+))"))),
                 qPrintable(server.output()));

        QNetworkAccessManager network;
        ExchangeSender sender(&network);
        QSignalSpy finished(&sender, &ExchangeSender::finished);
        HttpRequest request;
        request.method = "PUT";
        request.url = QUrl(QStringLiteral("http://127.0.0.1:%1/upload").arg(server.port()));
        request.headers = {{"Content-Type", "application/octet-stream"}};
        request.body = RequestBodyData::fromFile(file.fileName());
        resetPeakResident();
        const qint64 peakBefore = peakResidentBytes();
        QVERIFY(sender.send(request));
        QVERIFY(finished.wait(120'000));
        const qint64 growth = peakResidentBytes() - peakBefore;
        const Exchange &exchange = sender.exchange();
        QVERIFY2(exchange.error == TransportError::None, qPrintable(exchange.errorMessage));
        QCOMPARE(headerValue(exchange.finalHop().request.headers, "Content-Length"), QByteArray::number(kBodySize));
        const QJsonObject answer = QJsonDocument::fromJson(exchange.finalHop().response.body.read()).object();
        QCOMPARE(qint64(answer.value(QStringLiteral("bytes")).toDouble()), kBodySize);
        QCOMPARE(answer.value(QStringLiteral("sha256")).toString().toLatin1(), expected.result().toHex());
        qInfo("peak resident memory grew by %.1f MB while uploading %lld MB", double(growth) / 1048576.0, kBodySize / 1048576);
        QVERIFY2(growth < kBodySize / 2, "the upload must stream from disk");
    }
};

QTEST_GUILESS_MAIN(TestLargeBody)
#include "tst_largebody.moc"
