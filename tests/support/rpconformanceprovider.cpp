#include "rpconformanceprovider.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QStandardPaths>

namespace portolan::test {

bool RpConformanceProvider::start(QString *error)
{
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    const QString script = QStringLiteral(PORTOLAN_SOURCE_DIR "/tests/services/rp-conformance/server.mjs");
    if (node.isEmpty() || !QFile::exists(script)) {
        *error = node.isEmpty() ? QStringLiteral("node is not installed (run packaging/install-deps.sh)") : script + QStringLiteral(" is missing");
        return false;
    }
    const QRegularExpression ready(QStringLiteral("rp-conformance provider listening on http://127\\.0\\.0\\.1:(\\d+)"));
    if (!m_process.start(node, {script, QStringLiteral("--exit-with-stdin")}, ready)) {
        *error = QStringLiteral("the rp-conformance provider did not start:\n") + m_process.output();
        return false;
    }
    m_base = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_process.port()));
    return true;
}

QUrl RpConformanceProvider::issuer(const QString &testCase) const
{
    return QUrl(m_base.toString() + QLatin1Char('/') + testCase);
}

QUrl RpConformanceProvider::discoveryUrl(const QString &testCase) const
{
    return endpoint(testCase, QStringLiteral("/.well-known/openid-configuration"));
}

QUrl RpConformanceProvider::endpoint(const QString &testCase, const QString &path) const
{
    return QUrl(issuer(testCase).toString() + path);
}

QByteArray RpConformanceProvider::call(const QUrl &url, bool post)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(10'000);
    QNetworkReply *reply = post ? m_network.post(request, QByteArray()) : m_network.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    return reply->error() == QNetworkReply::NoError ? reply->readAll() : QByteArray();
}

QJsonObject RpConformanceProvider::stats(const QString &testCase)
{
    return QJsonDocument::fromJson(call(endpoint(testCase, QStringLiteral("/stats")), false)).object();
}

bool RpConformanceProvider::rotateKey(const QString &testCase)
{
    return !call(endpoint(testCase, QStringLiteral("/rotate")), true).isEmpty();
}

} // namespace portolan::test
